package api_test

import (
	"context"
	"net/http"
	"testing"

	"fengqiao/api/openapi/client"
	"fengqiao/demo"
	"fengqiao/store/storetest"
)

// TestStoryThroughTheGeneratedClient drives the real handler, over a real Temporal server, through
// the Go client that oapi-codegen generated from the OpenAPI document alone: a clerk logs in and
// opens a case, the township supervisor assigns the village mediator, who accepts it and reads it
// back; a second accept is refused with a typed problem. If the document lacked an operation, a
// parameter or a schema the story needs, the client would not have it, or would not decode it.
func TestStoryThroughTheGeneratedClient(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.seedDemo()
	ctx := context.Background()
	anon, err := client.NewClientWithResponses(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	// as logs username in through the client and returns a client that sends its bearer token
	as := func(username string) *client.ClientWithResponses {
		t.Helper()
		res, err := anon.LoginWithResponse(ctx, client.LoginJSONRequestBody{Username: username, Password: demo.Password})
		if err != nil {
			t.Fatal(err)
		}
		if res.JSON200 == nil || res.JSON200.Token == "" || res.JSON200.User.Username != username {
			t.Fatalf("login %s: %d %s", username, res.StatusCode(), res.Body)
		}
		token := res.JSON200.Token
		c, err := client.NewClientWithResponses(e.srv.URL, client.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	clerk := as("clerk")
	id, phone := applicantID, "13912345678"
	key := client.IdempotencyKey("client-story-1")
	opened, err := clerk.OpenCaseWithResponse(ctx, &client.OpenCaseParams{IdempotencyKey: &key}, client.Intake{
		Kind: client.IntakeKindDispute, Channel: client.Visit, Category: "neighbour",
		Summary: "楼上漏水，多次协商未果", Location: "330203001001-01",
		Parties: []client.IntakeParty{
			{Role: client.Applicant, Name: "张三", IdNumber: &id, Phone: &phone},
			{Role: client.Respondent, Name: "李四"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if opened.JSON201 == nil {
		t.Fatalf("open case: %d %s", opened.StatusCode(), opened.Body)
	}
	c := opened.JSON201
	if c.Id == "" || c.Status != client.StatusRegistered || c.Assignee != nil || len(c.Parties) != 2 {
		t.Fatalf("opened %+v", c)
	}

	assigned, err := as("sup-town").CaseActionWithResponse(ctx, c.Id, client.CaseActionParamsActionAssign, nil,
		client.CaseActionJSONRequestBody{"mediator": "med-village"})
	if err != nil {
		t.Fatal(err)
	}
	if assigned.JSON200 == nil || assigned.JSON200.Assignee == nil || *assigned.JSON200.Assignee != "med-village" {
		t.Fatalf("assign: %d %s", assigned.StatusCode(), assigned.Body)
	}

	mediator := as("med-village")
	accepted, err := mediator.CaseActionWithResponse(ctx, c.Id, client.CaseActionParamsActionAccept, nil, client.CaseActionJSONRequestBody{})
	if err != nil {
		t.Fatal(err)
	}
	if accepted.JSON200 == nil || accepted.JSON200.Status != client.StatusMediating {
		t.Fatalf("accept: %d %s", accepted.StatusCode(), accepted.Body)
	}

	read, err := mediator.GetCaseWithResponse(ctx, c.Id)
	if err != nil {
		t.Fatal(err)
	}
	if read.JSON200 == nil || read.JSON200.Status != client.StatusMediating || read.JSON200.Number != c.Number ||
		len(read.JSON200.AllowedActions) == 0 {
		t.Fatalf("get case: %d %s", read.StatusCode(), read.Body)
	}

	again, err := mediator.CaseActionWithResponse(ctx, c.Id, client.CaseActionParamsActionAccept, nil, client.CaseActionJSONRequestBody{})
	if err != nil {
		t.Fatal(err)
	}
	if again.ApplicationproblemJSON409 == nil || again.ApplicationproblemJSON409.Code != client.NotAllowedInState {
		t.Fatalf("second accept: %d %s, want a 409 not_allowed_in_state problem", again.StatusCode(), again.Body)
	}
}
