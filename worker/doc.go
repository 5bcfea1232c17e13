// Package worker runs the case workflow and its activities on the fengqiao-cases task queue.
package worker
