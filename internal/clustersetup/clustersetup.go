// Package clustersetup prepares a Temporal cluster for Fengqiao through its operator API: it registers
// the namespace the cases run in and adds the case workflow's search attributes to it, retrying until
// the frontend answers. `fengqiao cluster-setup` (make cluster, docker compose) and the tests' cluster
// mode (app/apptest) both call it, so the embedded server and a real cluster know the same attributes.
package clustersetup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Options says what to set up.
type Options struct {
	// HostPort is the frontend's address.
	HostPort string
	// Namespace is registered when missing.
	Namespace string
	// Retention is how long closed workflows are kept (the namespace's retention, when registered).
	Retention time.Duration
	// SearchAttributes are added to the namespace when missing (workflows.SearchAttributes()).
	SearchAttributes map[string]enumspb.IndexedValueType
	// Logger tells of each retry (nil: silent).
	Logger *slog.Logger
}

// Ensure registers the namespace and its search attributes, retrying every second until ctx ends:
// the frontend may not be up yet, and a namespace just registered takes a moment to reach every
// service. It is safe to repeat: what exists is left as it is. It returns once the namespace answers
// and lists every attribute with its type; an attribute that exists with another type is an error.
func Ensure(ctx context.Context, o Options) error {
	c, err := client.NewLazyClient(client.Options{HostPort: o.HostPort, Namespace: o.Namespace,
		Logger: quiet{}})
	if err != nil {
		return err
	}
	defer c.Close()
	var last error
	for attempt := 0; ; attempt++ {
		if last = ensureOnce(ctx, c, o); last == nil {
			return nil
		}
		var wrong wrongType
		if errors.As(last, &wrong) {
			return last
		}
		if o.Logger != nil && attempt%5 == 0 {
			o.Logger.Info("cluster setup: not yet", "frontend", o.HostPort, "namespace", o.Namespace, "error", last)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("cluster setup of namespace %s at %s: %w (last error: %v)", o.Namespace, o.HostPort, ctx.Err(), last)
		case <-time.After(time.Second):
		}
	}
}

type wrongType struct{ name, have, want string }

func (w wrongType) Error() string {
	return fmt.Sprintf("search attribute %s exists with type %s, want %s", w.name, w.have, w.want)
}

func ensureOnce(ctx context.Context, c client.Client, o Options) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ws := c.WorkflowService()
	if _, err := ws.DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: o.Namespace}); err != nil {
		var notFound *serviceerror.NamespaceNotFound
		if !errors.As(err, &notFound) {
			return fmt.Errorf("describe namespace: %w", err)
		}
		_, err := ws.RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{Namespace: o.Namespace,
			WorkflowExecutionRetentionPeriod: durationpb.New(o.Retention)})
		var exists *serviceerror.NamespaceAlreadyExists
		if err != nil && !errors.As(err, &exists) {
			return fmt.Errorf("register namespace: %w", err)
		}
		return errors.New("namespace registered, waiting for it to be known")
	}
	op := c.OperatorService()
	have, err := op.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: o.Namespace})
	if err != nil {
		return fmt.Errorf("list search attributes: %w", err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for name, want := range o.SearchAttributes {
		got, ok := have.GetCustomAttributes()[name]
		switch {
		case !ok:
			missing[name] = want
		case got != want:
			return wrongType{name, got.String(), want.String()}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := op.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: o.Namespace,
		SearchAttributes: missing}); err != nil {
		var exists *serviceerror.AlreadyExists
		if !errors.As(err, &exists) {
			return fmt.Errorf("add search attributes: %w", err)
		}
	}
	return fmt.Errorf("added %d search attributes, checking", len(missing))
}

// quiet drops the SDK client's own log lines: Ensure reports its retries itself.
type quiet struct{}

func (quiet) Debug(string, ...any) {}
func (quiet) Info(string, ...any)  {}
func (quiet) Warn(string, ...any)  {}
func (quiet) Error(string, ...any) {}
