package web

import (
	"net/http"
	"strconv"
	"strings"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/cases"
)

// fieldRecord is what the case page shows of the notes and files staff add from the field.
type fieldRecord struct {
	Notes       []cases.Note
	Attachments []cases.Attachment
}

// fieldRecords reads a case's notes and attachments for the case page (each read is audited).
func (h *handler) fieldRecords(r *http.Request, id string) (fieldRecord, error) {
	user := sessionOf(r).user.Username
	notes, err := h.Cases.Notes(r.Context(), user, id)
	if err != nil {
		return fieldRecord{}, err
	}
	files, err := h.Cases.Attachments(r.Context(), user, id)
	return fieldRecord{Notes: notes, Attachments: files}, err
}

// addNote records a note from the case page's form, with the phone's position when the form sends one.
func (h *handler) addNote(w http.ResponseWriter, r *http.Request) {
	in := cases.NoteInput{Text: trim(r.PostFormValue("text"))}
	var v fengqiao.Validation
	for _, c := range []struct {
		name string
		dst  **float64
	}{{"lat", &in.Lat}, {"lng", &in.Lng}} {
		if raw := trim(r.PostFormValue(c.name)); raw != "" {
			f, err := strconv.ParseFloat(raw, 64)
			v.Check(err == nil, c.name, "must be a number")
			*c.dst = &f
		}
	}
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if _, err := h.Cases.AddNote(r.Context(), sessionOf(r).user.Username, id, in); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/cases/"+id+"#field")
}

// addAttachment stores the file of the case page's upload form (typed by its content).
func (h *handler) addAttachment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	file, header, err := r.FormFile("file")
	if err != nil {
		h.fail(w, r, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "file: choose a photo or a PDF",
			Fields: []fengqiao.FieldError{{Field: "file", Message: "choose a photo or a PDF"}}})
		return
	}
	defer file.Close()
	if header.Size > cases.MaxAttachment {
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeTooLarge, "the file is larger than %d MiB", cases.MaxAttachment>>20))
		return
	}
	if _, err := h.Cases.AddAttachment(r.Context(), sessionOf(r).user.Username, id, header.Filename, file); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/cases/"+id+"#field")
}

// attachment streams a file of the case as a download, to whoever may read the case.
func (h *handler) attachment(w http.ResponseWriter, r *http.Request) {
	a, data, err := h.Cases.OpenAttachment(r.Context(), sessionOf(r).user.Username, r.PathValue("id"), r.PathValue("aid"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	api.ServeAttachment(w, a, data)
}

// kib is a file size for people: "12 KB", "3.4 MB".
func kib(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt((n+1023)>>10, 10) + " KB"
	}
	return strings.TrimSuffix(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".0") + " MB"
}
