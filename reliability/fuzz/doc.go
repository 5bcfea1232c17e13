// Package fuzz holds the reliability suite's fuzz targets, apart from the process and stack tests so
// that `go test -fuzz` instruments only what the targets use.
package fuzz
