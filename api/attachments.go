package api

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"fengqiao"
	"fengqiao/cases"

	"github.com/gin-gonic/gin"
)

// addNote adds a note (with an optional location) to a case the caller may read: 201 with the note.
func (s *Server) addNote(c *gin.Context) {
	var in cases.NoteInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	n, err := s.Cases.AddNote(c.Request.Context(), caller(c).Username, c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, n)
}

// listNotes lists a case's notes, oldest first.
func (s *Server) listNotes(c *gin.Context) {
	notes, err := s.Cases.Notes(c.Request.Context(), caller(c).Username, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": notes})
}

// maxUpload bounds an attachment's request: the file and the multipart framing around it.
const maxUpload = cases.MaxAttachment + 64<<10

// addAttachment stores the multipart part "file" on a case the caller may read: 201 with its
// metadata; 413 over cases.MaxAttachment; 422 naming the file when its content is not JPEG, PNG or PDF.
func (s *Server) addAttachment(c *gin.Context) {
	tooLarge := fengqiao.Errorf(fengqiao.ECodeTooLarge, "the file is larger than %d MiB", cases.MaxAttachment>>20)
	if c.Request.ContentLength > maxUpload {
		c.Header("Connection", "close")
		s.fail(c, tooLarge)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxUpload)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		s.fail(c, fengqiao.Errorf(fengqiao.ECodeMalformed, "the body must be multipart/form-data with a part named file"))
		return
	}
	for {
		part, err := mr.NextPart()
		var big *http.MaxBytesError
		switch {
		case errors.As(err, &big):
			s.fail(c, tooLarge)
			return
		case err != nil:
			s.fail(c, fengqiao.Errorf(fengqiao.ECodeMalformed, "the body must be multipart/form-data with a part named file"))
			return
		}
		if part.FormName() != "file" {
			continue
		}
		a, err := s.Cases.AddAttachment(c.Request.Context(), caller(c).Username, c.Param("id"), part.FileName(), part)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusCreated, a)
		return
	}
}

// listAttachments lists a case's attachments (metadata only), oldest first.
func (s *Server) listAttachments(c *gin.Context) {
	items, err := s.Cases.Attachments(c.Request.Context(), caller(c).Username, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// getAttachment streams an attachment with its stored content type, as a download.
func (s *Server) getAttachment(c *gin.Context) {
	a, data, err := s.Cases.OpenAttachment(c.Request.Context(), caller(c).Username, c.Param("id"), c.Param("aid"))
	if err != nil {
		s.fail(c, err)
		return
	}
	ServeAttachment(c.Writer, a, data)
}

// ServeAttachment writes an attachment as a download (the web pages use it too): its stored content
// type, never sniffed, and a Content-Disposition naming it safely (RFC 6266, UTF-8 form).
func ServeAttachment(w http.ResponseWriter, a cases.Attachment, data []byte) {
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": cases.SafeFileName(a.Name)})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}
