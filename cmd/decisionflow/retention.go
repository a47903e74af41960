package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	namespacepb "go.temporal.io/api/namespace/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"
)

// ensureRetention applies the configured retention to the embedded namespace, which keeps the
// retention it was created with unless told otherwise.
func ensureRetention(ctx context.Context, c client.Client, namespace string, retention time.Duration, logger *slog.Logger) error {
	svc := c.WorkflowService()
	desc, err := svc.DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("describe namespace %s: %w", namespace, err)
	}
	current := desc.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration()
	if current == retention {
		return nil
	}
	_, err = svc.UpdateNamespace(ctx, &workflowservice.UpdateNamespaceRequest{
		Namespace: namespace,
		Config:    &namespacepb.NamespaceConfig{WorkflowExecutionRetentionTtl: durationpb.New(retention)},
	})
	if err != nil {
		return fmt.Errorf("update retention of namespace %s: %w", namespace, err)
	}
	logger.Info("namespace retention changed", "namespace", namespace, "from", current, "to", retention)
	return nil
}
