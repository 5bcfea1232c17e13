package api_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/app"
	"fengqiao/app/apptest"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// tinyPNG is a 1×1 PNG.
var tinyPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

// upload posts one multipart part named file.
func upload(t *testing.T, url, token, name string, content []byte) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", url, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func get(t *testing.T, url, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestNotesAndAttachments: the grid worker of the case's grid adds a note with a location and a PNG
// that streams back byte-identical; a text file named ../../etc/passwd.png is refused naming it and
// nothing lands outside the attachments folder; 11 MiB is 413; who may not read the case gets 404 on
// notes, the list and the download. With the data folder and without it (content in the database).
func TestNotesAndAttachments(t *testing.T) {
	for _, onDisk := range []bool{true, false} {
		name := "in the database"
		if onDisk {
			name = "in the data folder"
		}
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				dataDir := t.TempDir()
				s := apptest.New(t, apptest.WithDB(db), apptest.WithConfig(func(c *app.Config) {
					if onDisk {
						c.DataDir = dataDir
					}
				}))
				e := &env{t: t, db: s.DB, pol: s.Policy, srv: s.Server, stack: s}
				tok := e.seedDemo()
				e.createUser("grid-b", "grid-b-password")
				s.Grant(t, "grid-b", fengqiao.RoleGridWorker, "330203002001-01")
				tok["grid-b"] = e.login("grid-b", "grid-b-password")
				id := e.do("POST", "/api/v1/cases", tok["clerk"], neighbourDispute("330203001001-01")).want(201).json()["id"].(string)
				base := s.Server.URL + "/api/v1/cases/" + id

				t.Run("a note with a location", func(t *testing.T) {
					n := e.do("POST", "/api/v1/cases/"+id+"/notes", tok["grid"], map[string]any{"text": "现场查看：楼道已清理", "lat": 29.8683, "lng": 121.5440}).want(201).json()
					if n["author"] != "grid" || n["lat"] != 29.8683 || n["lng"] != 121.544 {
						t.Fatalf("note = %v", n)
					}
					e.do("POST", "/api/v1/cases/"+id+"/notes", tok["grid"], map[string]any{"text": "x", "lat": 91, "lng": 0}).problem(422, fengqiao.ECodeInvalid, "lat")
					e.do("POST", "/api/v1/cases/"+id+"/notes", tok["grid"], map[string]any{"text": "x", "lat": 30}).problem(422, fengqiao.ECodeInvalid, "lat")
					items := e.do("GET", "/api/v1/cases/"+id+"/notes", tok["med-village"], nil).want(200).json()["items"].([]any)
					if len(items) != 1 || items[0].(map[string]any)["text"] != "现场查看：楼道已清理" {
						t.Fatalf("notes = %v", items)
					}
					if found := storetest.InStorage(t, e.db, "楼道已清理"); len(found) > 0 {
						t.Fatalf("the note is in clear at %v", found)
					}
					e.do("GET", "/api/v1/cases/"+id+"/notes", tok["grid-b"], nil).want(404)
					e.do("POST", "/api/v1/cases/"+id+"/notes", tok["grid-b"], map[string]any{"text": "x"}).want(404)
				})

				var aid string
				t.Run("a PNG streams back byte-identical", func(t *testing.T) {
					status, body := upload(t, base+"/attachments", tok["grid"], "现场照片.png", tinyPNG)
					if status != 201 || !strings.Contains(string(body), `"content_type":"image/png"`) {
						t.Fatalf("upload: %d %s", status, body)
					}
					aid = strings.Split(strings.Split(string(body), `"id":"`)[1], `"`)[0]
					res := get(t, base+"/attachments/"+aid, tok["grid"])
					defer res.Body.Close()
					got, _ := io.ReadAll(res.Body)
					if res.StatusCode != 200 || !bytes.Equal(got, tinyPNG) || res.Header.Get("Content-Type") != "image/png" ||
						res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
						t.Fatalf("download: %d %v %x", res.StatusCode, res.Header, got)
					}
					list := e.do("GET", "/api/v1/cases/"+id+"/attachments", tok["med-village"], nil).want(200)
					if !strings.Contains(string(list.body), "现场照片.png") {
						t.Fatalf("list: %s", list.body)
					}
				})

				t.Run("text named ../../etc/passwd.png is refused", func(t *testing.T) {
					status, body := upload(t, base+"/attachments", tok["grid"], "../../etc/passwd.png", []byte("root:x:0:0:root:/root:/bin/bash\n"))
					if status != 422 || !strings.Contains(string(body), "passwd.png") {
						t.Fatalf("upload: %d %s", status, body)
					}
					if onDisk {
						filepath.WalkDir(dataDir, func(path string, d os.DirEntry, err error) error {
							if err == nil && !d.IsDir() && !strings.HasPrefix(path, filepath.Join(dataDir, "attachments", id)+string(filepath.Separator)) {
								t.Errorf("a file outside the case's attachments folder: %s", path)
							}
							return nil
						})
						entries, _ := os.ReadDir(filepath.Join(dataDir, "attachments", id))
						if len(entries) != 1 {
							t.Fatalf("attachments folder holds %d files, want the PNG only", len(entries))
						}
					}
				})

				t.Run("11 MiB is too large", func(t *testing.T) {
					big := append(append([]byte{}, tinyPNG...), make([]byte, 11<<20)...)
					if status, body := upload(t, base+"/attachments", tok["grid"], "big.png", big); status != 413 {
						t.Fatalf("upload: %d %s", status, body)
					}
				})

				t.Run("who may not read the case gets 404", func(t *testing.T) {
					for _, who := range []string{"grid-b", "med-south"} {
						if res := get(t, base+"/attachments", tok[who]); res.StatusCode != 404 {
							t.Errorf("%s list: %d", who, res.StatusCode)
						}
						if res := get(t, base+"/attachments/"+aid, tok[who]); res.StatusCode != 404 {
							t.Errorf("%s download: %d", who, res.StatusCode)
						}
						if status, _ := upload(t, base+"/attachments", tok[who], "x.png", tinyPNG); status != 404 {
							t.Errorf("%s upload: %d", who, status)
						}
					}
					if res := get(t, base+"/attachments/nosuchattachment", tok["grid"]); res.StatusCode != 404 {
						t.Errorf("unknown attachment: %d", res.StatusCode)
					}
				})
			})
		})
	}
}
