package secret

import (
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// Payload metadata written by the codec.
const (
	// EncodingEncrypted is the "encoding" metadata of an encrypted payload.
	EncodingEncrypted = "binary/encrypted"
	// MetadataKeyID is the metadata key holding the id of the key that sealed a payload (informative:
	// Open reads the id from the ciphertext's authenticated header).
	MetadataKeyID = "encryption-key-id"
)

// payloadAAD binds sealed payloads to their use: a sealed database field does not decode as a payload.
const payloadAAD = "fengqiao temporal payload v1"

// PayloadCodec encrypts every Temporal payload — the whole payload, its metadata included — with the
// primary key, so Temporal's store, its history exports and its UI never hold personal data in
// plaintext. Decode opens payloads sealed by any key of the ring and passes through payloads that are
// not encrypted (histories written before encryption was turned on).
func (k *Keyring) PayloadCodec() converter.PayloadCodec { return codec{k} }

// DataConverter is the default Temporal data converter wrapped in PayloadCodec. Give the same one to
// the client and every worker.
func (k *Keyring) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), k.PayloadCodec())
}

type codec struct{ k *Keyring }

// Encode seals each payload that is not sealed yet; see Keyring.PayloadCodec.
func (c codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) == EncodingEncrypted {
			out[i] = p // already sealed
			continue
		}
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("secret: encode payload: %w", err)
		}
		sealed, err := c.k.Seal(plain, []byte(payloadAAD))
		if err != nil {
			return nil, fmt.Errorf("secret: encode payload: %w", err)
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(EncodingEncrypted),
				MetadataKeyID:              []byte(c.k.PrimaryID()),
			},
			Data: sealed,
		}
	}
	return out, nil
}

// Decode opens each sealed payload and passes the others through; see Keyring.PayloadCodec.
func (c codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != EncodingEncrypted {
			out[i] = p
			continue
		}
		plain, err := c.k.Open(p.GetData(), []byte(payloadAAD))
		if err != nil {
			return nil, fmt.Errorf("secret: decode payload: %w", err)
		}
		var dp commonpb.Payload
		if err := proto.Unmarshal(plain, &dp); err != nil {
			return nil, fmt.Errorf("secret: decode payload: %w", err)
		}
		out[i] = &dp
	}
	return out, nil
}
