package cases

import (
	"encoding/json"
	"fmt"

	"fengqiao"
	"fengqiao/workflows"
)

// checkStart refuses, before the matter is reserved and the case row written, a start that the case
// workflow could not take. Such a start fails before the workflow registers its updates, so the caller
// of Update-with-Start would hear only "unknown update view" and the case would be left half made (a
// row and a reserved matter without a running workflow). Two causes are known:
//   - a deadline policy that does not validate, e.g. a tier clock that had already ended when it was
//     computed (a negative Go duration, as a storm benchmark whose intake overran its instant gives):
//     deadline.Duration refuses to decode a negative span, so the workflow cannot even read its input;
//   - any other value that does not survive the JSON round trip the workflow's input makes.
//
// Neither is the intake's fault, so the error carries no field: it names the reason and is logged.
func (s *Service) checkStart(in workflows.StartInput, chain []fengqiao.ChainNode) error {
	if err := in.Policy.Validate(); err != nil {
		s.log().Error("intake refused: the deadline policy is not usable", "policy_version", in.Policy.Version, "error", err)
		return &fengqiao.Error{Code: fengqiao.ECodeInternal,
			Message: fmt.Sprintf("cases cannot be opened: the deadline policy %s is not usable: %v", in.Policy.Version, err),
			Details: map[string]string{"policy_version": in.Policy.Version}}
	}
	if in.Chain == nil {
		in.Chain = chain
	}
	if in.Calendar == nil {
		in.Calendar = s.calendar()
	}
	b, err := json.Marshal(in)
	if err == nil {
		err = json.Unmarshal(b, new(workflows.StartInput))
	}
	if err != nil {
		s.log().Error("intake refused: its workflow could not read the start", "error", err)
		return &fengqiao.Error{Code: fengqiao.ECodeInternal,
			Message: fmt.Sprintf("cases cannot be opened: the case workflow could not read its start: %v", err)}
	}
	return nil
}
