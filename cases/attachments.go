package cases

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
)

// MaxAttachment is the largest attachment accepted: 10 MiB.
const MaxAttachment = 10 << 20

// attachmentTypes are the contents accepted, as http.DetectContentType names them from the file's
// first bytes (its magic number), whatever the uploaded name or the client's Content-Type say.
var attachmentTypes = map[string]bool{"image/jpeg": true, "image/png": true, "application/pdf": true}

// Attachment is an attachment of a case as the front ends show it.
type Attachment struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Uploader    string    `json:"uploader"`
	CreatedAt   time.Time `json:"created_at"`
}

// SafeFileName is the uploaded name kept for display and for Content-Disposition: its last path
// element (either separator), without control or format characters, quotes or backslashes, at most
// 100 characters; "附件" when nothing is left. It is never used as a path.
func SafeFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '"' || r == '\\' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(name, ". "))
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	if name == "" {
		return "附件"
	}
	return name
}

// AddAttachment stores the file read from content, uploaded by user under name, on the case: user must
// be able to read it (else not found, before anything is read); the file must be at most MaxAttachment
// bytes (else too large) and a JPEG, PNG or PDF by its content (else invalid, naming the file). The
// content is sealed and stored under AttachmentDir (<case>/<random id>), or in the database without
// one. The upload is audited.
func (s *Service) AddAttachment(ctx context.Context, user, id, name string, content io.Reader) (Attachment, error) {
	v, err := s.Load(ctx, user, id, policy.ActionCaseRead)
	if err != nil {
		return Attachment{}, err
	}
	name = SafeFileName(name)
	data, err := io.ReadAll(io.LimitReader(content, MaxAttachment+1))
	if err != nil {
		return Attachment{}, fengqiao.Errorf(fengqiao.ECodeMalformed, "the file could not be read")
	}
	if len(data) > MaxAttachment {
		return Attachment{}, fengqiao.Errorf(fengqiao.ECodeTooLarge, "「%s」超过 %d MiB / the file is larger than %d MiB", name, MaxAttachment>>20, MaxAttachment>>20)
	}
	ctype := http.DetectContentType(data)
	if len(data) == 0 || !attachmentTypes[ctype] {
		var val fengqiao.Validation
		val.Add("file", "「%s」不是 JPEG、PNG 或 PDF 文件 / is not a JPEG, PNG or PDF file", name)
		return Attachment{}, val.Err()
	}
	sum := sha256.Sum256(data)
	row := store.AttachmentRow{ID: newRecordID(), CaseID: v.ID, Uploader: user, CreatedAt: time.Now().UTC().Truncate(time.Microsecond),
		Name: name, ContentType: ctype, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	sealed, err := store.SealAttachment(s.Keys, row.CaseID, row.ID, data)
	if err != nil {
		return Attachment{}, err
	}
	var file string
	if s.AttachmentDir == "" {
		row.Data = sealed
	} else if file, err = s.writeAttachment(row.CaseID, row.ID, sealed); err != nil {
		return Attachment{}, err
	}
	if err := s.DB.AddAttachment(ctx, s.Keys, row); err != nil {
		if file != "" {
			_ = os.Remove(file)
		}
		return Attachment{}, err
	}
	s.audit(ctx, user, "case.attachment.upload", v.HandlingNode, "case/"+v.ID+"/attachments/"+row.ID, auditOK,
		fmt.Sprintf("%s, %d bytes", ctype, row.Size))
	return attachmentOf(row), nil
}

// attachmentPath is where an attachment's sealed content lies: both parts are ids this package
// checked or made (ValidID, newRecordID), never anything a client named.
func (s *Service) attachmentPath(caseID, id string) string {
	return filepath.Join(s.AttachmentDir, caseID, id)
}

// writeAttachment writes the sealed content through a temporary file, so that a half-written file is
// never read as an attachment.
func (s *Service) writeAttachment(caseID, id string, sealed []byte) (string, error) {
	if !ValidID(caseID) || !ValidID(id) {
		return "", fmt.Errorf("cases: attachment path from ids %q, %q", caseID, id)
	}
	dir := filepath.Join(s.AttachmentDir, caseID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cases: attachments folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return "", fmt.Errorf("cases: write attachment: %w", err)
	}
	_, err = tmp.Write(sealed)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	file := s.attachmentPath(caseID, id)
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return "", fmt.Errorf("cases: write attachment: %w", err)
	}
	return file, nil
}

// Attachments lists the case's attachments for user (who must be able to read it); audited.
func (s *Service) Attachments(ctx context.Context, user, id string) ([]Attachment, error) {
	v, err := s.Load(ctx, user, id, policy.ActionCaseRead)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.Attachments(ctx, s.Keys, v.ID)
	if err != nil && rows == nil {
		return nil, err
	}
	if err != nil {
		s.log().ErrorContext(ctx, "an attachment name does not open", "case", v.ID, "error", err)
	}
	s.audit(ctx, user, string(policy.ActionCaseRead), v.HandlingNode, "case/"+v.ID+"/attachments", auditRead, "")
	out := make([]Attachment, len(rows))
	for i, r := range rows {
		out[i] = attachmentOf(r)
	}
	return out, nil
}

// OpenAttachment returns one attachment of the case and its content for user (who must be able to
// read the case; an unknown attachment is not found too); the download is audited.
func (s *Service) OpenAttachment(ctx context.Context, user, id, aid string) (Attachment, []byte, error) {
	v, err := s.Load(ctx, user, id, policy.ActionCaseRead)
	if err != nil {
		return Attachment{}, nil, err
	}
	notFound := fengqiao.Errorf(fengqiao.ECodeNotFound, "no attachment %s on case %s", aid, id)
	if !ValidID(aid) {
		return Attachment{}, nil, notFound
	}
	row, err := s.DB.Attachment(ctx, s.Keys, v.ID, aid)
	if errors.Is(err, store.ErrNotFound) {
		return Attachment{}, nil, notFound
	}
	if err != nil {
		s.log().ErrorContext(ctx, "an attachment name does not open", "case", v.ID, "error", err)
	}
	sealed := row.Data
	if sealed == nil {
		if s.AttachmentDir == "" {
			return Attachment{}, nil, fmt.Errorf("cases: attachment %s is in a file and no attachments folder is set", aid)
		}
		if sealed, err = os.ReadFile(s.attachmentPath(row.CaseID, row.ID)); err != nil {
			return Attachment{}, nil, fmt.Errorf("cases: read attachment: %w", err)
		}
	}
	data, err := store.OpenAttachment(s.Keys, row.CaseID, row.ID, sealed)
	if err != nil {
		return Attachment{}, nil, fmt.Errorf("cases: open attachment %s: %w", aid, err)
	}
	s.audit(ctx, user, "case.attachment.download", v.HandlingNode, "case/"+v.ID+"/attachments/"+row.ID, auditRead, "")
	return attachmentOf(row), data, nil
}

func attachmentOf(r store.AttachmentRow) Attachment {
	return Attachment{ID: r.ID, Name: r.Name, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256,
		Uploader: r.Uploader, CreatedAt: r.CreatedAt.UTC()}
}
