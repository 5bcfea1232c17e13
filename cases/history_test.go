package cases_test

import (
	historypb "go.temporal.io/api/history/v1"
)

type historyEvents struct{ events []*historypb.HistoryEvent }

func (h *historyEvents) add(e *historypb.HistoryEvent) { h.events = append(h.events, e) }

func (h *historyEvents) history() *historypb.History { return &historypb.History{Events: h.events} }
