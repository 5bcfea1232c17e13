package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Headers of the SMS gateway protocol.
const (
	// HeaderTimestamp carries the Unix time in milliseconds the request was signed at.
	HeaderTimestamp = "X-Fengqiao-Timestamp"
	// HeaderSignature carries hex(HMAC-SHA256(key, timestamp + "\n" + body)).
	HeaderSignature = "X-Fengqiao-Signature"
)

// SMSRequest is the JSON body the SMS gateway receives.
type SMSRequest struct {
	To             string `json:"to"`
	Text           string `json:"text"`
	IdempotencyKey string `json:"idempotency_key"`
}

// SignSMS is the signature of an SMS gateway request: hex(HMAC-SHA256(key, timestamp "\n" body)).
// Binding the timestamp lets the gateway refuse replayed requests.
func SignSMS(key []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(timestamp + "\n"))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SMS texts through an HTTP gateway: it POSTs an SMSRequest to URL, signed with Key. The gateway
// must treat idempotency_key as the message's identity, so a retried request texts once.
type SMS struct {
	URL string
	Key []byte
	// Client is the HTTP client; nil is one with a 10-second timeout.
	Client *http.Client
	// Now is the clock of the timestamp; nil is time.Now.
	Now func() time.Time
}

// Send implements Channel: it texts m.Phone; a message without a phone is not for it.
func (s *SMS) Send(ctx context.Context, m Message) error {
	if m.Phone == "" {
		return nil
	}
	body, err := json.Marshal(SMSRequest{To: m.Phone, Text: m.Text(), IdempotencyKey: m.Key})
	if err != nil {
		return err
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := strconv.FormatInt(now().UnixMilli(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.Key)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, SignSMS(s.Key, ts, body))
	return do(client(s.Client), req, nil)
}

// PartyTexts is the SMS channel as the projection's SMS gateway (activities.SMSGateway): the
// projection holds the party's phone when it queues a text, the outbox does not.
type PartyTexts struct{ SMS *SMS }

// Send texts phone under the notice key.
func (p PartyTexts) Send(ctx context.Context, key, phone, text string) error {
	return p.SMS.Send(ctx, Message{Key: key, Phone: phone, Subject: text})
}

// DingTalk posts notices to a group robot (DingTalk, 浙政钉) — the supervisors' group. Only notices
// addressed to a role at a node go there; notices to one person stay in that person's inbox.
type DingTalk struct {
	// Webhook is the robot's URL, access token included.
	Webhook string
	// Secret is the robot's signing secret ("SEC..."); empty sends unsigned.
	Secret string
	Client *http.Client
	Now    func() time.Time
}

// SignDingTalk is the robot's signature: base64(HMAC-SHA256(secret, timestamp "\n" secret)).
func SignDingTalk(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Send implements Channel.
func (d *DingTalk) Send(ctx context.Context, m Message) error {
	if m.Role == "" {
		return nil
	}
	var msg struct {
		MsgType string `json:"msgtype"`
		Text    struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	msg.MsgType, msg.Text.Content = "text", m.Text()
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	u, err := url.Parse(d.Webhook)
	if err != nil {
		return fmt.Errorf("webhook URL: %w", err)
	}
	if d.Secret != "" {
		now := time.Now
		if d.Now != nil {
			now = d.Now
		}
		ts := strconv.FormatInt(now().UnixMilli(), 10)
		q := u.Query()
		q.Set("timestamp", ts)
		q.Set("sign", SignDingTalk(d.Secret, ts))
		u.RawQuery = q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	var res struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := do(client(d.Client), req, &res); err != nil {
		return err
	}
	if res.ErrCode != 0 {
		return fmt.Errorf("dingtalk: errcode %d: %s", res.ErrCode, res.ErrMsg)
	}
	return nil
}

func client(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// do sends req and fails on a status other than 2xx; out, when set, receives the JSON answer.
func do(c *http.Client, req *http.Request, out any) error {
	resp, err := c.Do(req)
	if err != nil {
		// the URL may hold the robot's access token: name the host only, it ends up in last_error
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s: %w", req.URL.Host, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: status %d", req.URL.Host, resp.StatusCode)
	}
	if out != nil && len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s: answer: %w", req.URL.Host, err)
		}
	}
	return nil
}

// Name implements Named.
func (s *SMS) Name() string { return "sms" }

// Name implements Named.
func (d *DingTalk) Name() string { return "dingtalk" }
