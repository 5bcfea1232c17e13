package secret_test

import (
	"bytes"
	"errors"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"

	"fengqiao/secret"
)

type party struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
}

const (
	idNumber = "330203199001011234"
	phone    = "13800138000"
)

func TestPayloadCodec(t *testing.T) {
	kr := ring(t, fixedKey("k1", 1))
	dc := kr.DataConverter()
	in := party{Name: "张三", IDNumber: idNumber, Phone: phone}
	p, err := dc.ToPayload(in)
	if err != nil {
		t.Fatal(err)
	}
	wire, err := proto.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	// The control: without the codec the ID number is on the wire, so the check below can fail.
	plain, err := converter.GetDefaultDataConverter().ToPayload(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(plain.GetData(), []byte(idNumber)) {
		t.Fatal("control: the default converter should hold the ID number in plaintext")
	}

	t.Run("no plaintext in the encoded payload", func(t *testing.T) {
		for _, s := range []string{idNumber, phone, "张三", "json/plain"} {
			if bytes.Contains(wire, []byte(s)) {
				t.Errorf("encoded payload holds %q", s)
			}
		}
	})
	t.Run("metadata", func(t *testing.T) {
		if got := string(p.GetMetadata()[converter.MetadataEncoding]); got != secret.EncodingEncrypted {
			t.Errorf("encoding = %q, want %q", got, secret.EncodingEncrypted)
		}
		if got := string(p.GetMetadata()[secret.MetadataKeyID]); got != "k1" {
			t.Errorf("key id = %q, want k1", got)
		}
	})
	t.Run("decode round trips", func(t *testing.T) {
		var out party
		if err := dc.FromPayload(p, &out); err != nil || out != in {
			t.Fatalf("FromPayload = %+v, %v; want %+v", out, err, in)
		}
	})
	t.Run("several payloads", func(t *testing.T) {
		ps, err := dc.ToPayloads(in, "second", 42)
		if err != nil {
			t.Fatal(err)
		}
		var a party
		var b string
		var c int
		if err := dc.FromPayloads(ps, &a, &b, &c); err != nil || a != in || b != "second" || c != 42 {
			t.Fatalf("FromPayloads = %+v %q %d, %v", a, b, c, err)
		}
	})
	t.Run("unencrypted payloads pass through", func(t *testing.T) {
		var out party
		if err := dc.FromPayload(plain, &out); err != nil || out != in {
			t.Fatalf("FromPayload(plain) = %+v, %v", out, err)
		}
	})
	t.Run("encode does not seal twice", func(t *testing.T) {
		again, err := kr.PayloadCodec().Encode([]*commonpb.Payload{p})
		if err != nil || !proto.Equal(again[0], p) {
			t.Fatalf("Encode of a sealed payload changed it: %v", err)
		}
	})
	t.Run("tampering is an error", func(t *testing.T) {
		bad := proto.Clone(p).(*commonpb.Payload)
		bad.Data[len(bad.Data)-1] ^= 1
		if _, err := kr.PayloadCodec().Decode([]*commonpb.Payload{bad}); !errors.Is(err, secret.ErrAuth) {
			t.Fatalf("Decode = %v, want ErrAuth", err)
		}
	})
	t.Run("a sealed field does not decode as a payload", func(t *testing.T) {
		field, err := kr.Seal(wire, []byte("case/1/party/1"))
		if err != nil {
			t.Fatal(err)
		}
		fake := &commonpb.Payload{Metadata: map[string][]byte{converter.MetadataEncoding: []byte(secret.EncodingEncrypted)}, Data: field}
		if _, err := kr.PayloadCodec().Decode([]*commonpb.Payload{fake}); !errors.Is(err, secret.ErrAuth) {
			t.Fatalf("Decode = %v, want ErrAuth", err)
		}
	})
	t.Run("input not mutated", func(t *testing.T) {
		orig := proto.Clone(plain).(*commonpb.Payload)
		if _, err := kr.PayloadCodec().Encode([]*commonpb.Payload{plain}); err != nil {
			t.Fatal(err)
		}
		if !proto.Equal(orig, plain) {
			t.Fatal("Encode mutated its input")
		}
	})
}

func TestPayloadCodecRotation(t *testing.T) {
	old := fixedKey("2026a", 1)
	newer := fixedKey("2027a", 2)
	oldDC := ring(t, old).DataConverter()
	rotated := ring(t, newer, old)
	in := party{Name: "李四", IDNumber: idNumber}
	sealedOld, err := oldDC.ToPayload(in)
	if err != nil {
		t.Fatal(err)
	}
	sealedNew, err := rotated.DataConverter().ToPayload(in)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dc      converter.DataConverter
		p       *commonpb.Payload
		wantKey string
		wantErr bool
	}{
		{"old key still opens after rotation", rotated.DataConverter(), sealedOld, "2026a", false},
		{"new payloads use the new key", rotated.DataConverter(), sealedNew, "2027a", false},
		{"old key removed", ring(t, newer).DataConverter(), sealedOld, "2026a", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.p.GetMetadata()[secret.MetadataKeyID]); got != tt.wantKey {
				t.Fatalf("key id = %q, want %q", got, tt.wantKey)
			}
			var out party
			err := tt.dc.FromPayload(tt.p, &out)
			if tt.wantErr {
				if !errors.Is(err, secret.ErrUnknownKey) {
					t.Fatalf("FromPayload = %v, want ErrUnknownKey", err)
				}
				return
			}
			if err != nil || out != in {
				t.Fatalf("FromPayload = %+v, %v", out, err)
			}
		})
	}
}
