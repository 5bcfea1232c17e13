package cases

import (
	"context"
	"errors"
	"fmt"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/workflows"
)

// The petition track's use cases beside the workflow (DESIGN.md §2 `petition`): the body directory is
// read here, never in the workflow. When the petition office forwards a petition, the clerk names the
// agency; the service resolves it and its superiors (上一级机关, nearest first) as they stand at that
// moment and hands them to the workflow, where 复查 and 复核 follow that line (XGTL 35-36).

// maxSuperiors bounds the superior chain followed (a county department, the county government, the
// city government, the province...); it also stops a cycle in bad data.
const maxSuperiors = 6

// resolvePetitionArgs fills what the workflow needs from the body directory into an action's
// arguments: for forward and decide-organ, the agency and its superior chain.
func (s *Service) resolvePetitionArgs(ctx context.Context, args any) error {
	f, ok := args.(*workflows.ForwardArgs)
	if !ok {
		return nil
	}
	f.Organ, f.Superiors = fengqiao.BodyRef{}, nil // never what a client sent
	if f.Agency == "" {
		return nil // the workflow names the missing field
	}
	b, err := s.bodies().Body(ctx, f.Agency)
	if errors.Is(err, store.ErrNotFound) {
		return agencyError("no such body " + f.Agency)
	}
	if err != nil {
		return fmt.Errorf("cases: agency %s: %w", f.Agency, err)
	}
	f.Organ = b.Ref()
	seen := map[string]bool{b.Code: true}
	for up := b.Superior; up != "" && len(f.Superiors) < maxSuperiors && !seen[up]; {
		seen[up] = true
		sb, err := s.bodies().Body(ctx, up)
		if errors.Is(err, store.ErrNotFound) {
			break // a superior not (yet) in the directory ends the line: review stops there
		}
		if err != nil {
			return fmt.Errorf("cases: superior %s: %w", up, err)
		}
		f.Superiors = append(f.Superiors, sb.Ref())
		up = sb.Superior
	}
	return nil
}

func agencyError(msg string) error {
	return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "agency: " + msg,
		Fields: []fengqiao.FieldError{{Field: "agency", Message: msg}}}
}

// MatterTrackPrefix is what a matter key of the track starts with: "" for a dispute (its keys predate
// tracks), "<kind>:" for any other track. Migration 18 gave the same prefix to the keys of petitions
// already final, so that the finality of XGTL 36 stays within the petition track.
func MatterTrackPrefix(k fengqiao.Kind) string {
	if k == fengqiao.KindDispute || k == "" {
		return ""
	}
	return string(k) + ":"
}
