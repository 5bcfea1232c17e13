package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"fengqiao"
	"fengqiao/demo"
)

var attachmentRe = regexp.MustCompile(`href="(/cases/[^/]+/attachments/[^"]+)"`)

// TestGridWorkerAddsANoteAndAPhotoFromTheCasePage: the grid worker of the case's grid writes what they
// saw, with the phone's position, and uploads a photo from the case page; both show there, the photo
// downloads byte for byte as an attachment, and a grid worker of another grid gets 404 for it.
func TestGridWorkerAddsANoteAndAPhotoFromTheCasePage(t *testing.T) {
	e := newEnv(t)
	e.createUser("grid-b", "grid-b-password", fengqiao.RoleGridWorker, "330203002001-01")
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new").has(`<option value="330203" selected>`) // the clerk's own node by default
	id := caseIDOf(t, clerk.post("/cases/new", intakeForm("楼道堆物影响通行")).want(http.StatusOK).body)

	grid := e.browser(t)
	grid.login("grid", demo.Password)
	grid.get("/cases/"+id).want(http.StatusOK).has(`id="field"`, `id="note-submit"`, `capture="environment"`)
	grid.post("/cases/"+id+"/notes", url.Values{"text": {"现场查看：楼道堆放纸箱三处"}, "lat": {"29.87512"}, "lng": {"121.54321"}}).
		want(http.StatusOK).has("现场查看：楼道堆放纸箱三处", "29.87512, 121.54321")

	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var photo bytes.Buffer
	if err := png.Encode(&photo, img); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", csrfOf(grid.last))
	fw, _ := mw.CreateFormFile("file", "现场照片.png")
	_, _ = fw.Write(photo.Bytes())
	_ = mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/cases/"+id+"/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	page := grid.do(req).want(http.StatusOK).has("现场照片.png")
	m := attachmentRe.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no attachment link on the case page: %.2000s", page.body)
	}
	res, err := grid.c.Get(e.srv.URL + m[1])
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Equal(got, photo.Bytes()) || res.Header.Get("Content-Type") != "image/png" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(got))
	}

	other := e.browser(t)
	other.login("grid-b", "grid-b-password")
	other.get(m[1]).want(http.StatusNotFound)
}
