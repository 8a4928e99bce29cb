//go:build tools

// Package tools pins the Pulumi CLI so that scripts/ensure-pulumi.sh can build it
// from the Go module proxy (the official installer cannot download anything here).
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
