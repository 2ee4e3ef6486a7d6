package framework

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/internal/problem"
	"github.com/portcullis/portcullis/security"
)

// Sentinel errors. Startup failures wrap one of them, so callers can test the
// category with errors.Is while the message names the place and the fix.
var (
	// ErrUnresolved means a handler or dependency parameter has no source.
	ErrUnresolved = errors.New("framework: unresolved parameter")
	// ErrCycle means dependencies depend on each other in a loop.
	ErrCycle = errors.New("framework: dependency cycle")
	// ErrDuplicateProvider means two providers produce the same type.
	ErrDuplicateProvider = errors.New("framework: duplicate provider")
	// ErrBadSignature means a handler or dependency has a shape the framework cannot call.
	ErrBadSignature = errors.New("framework: bad signature")
	// ErrDuplicateRoute means two routes share a method and path.
	ErrDuplicateRoute = errors.New("framework: duplicate route")
	// ErrScheme means a security scheme is missing, duplicated or misconfigured.
	ErrScheme = errors.New("framework: security scheme")
	// ErrUnknownScope means a route requires a scope that no scheme declares.
	ErrUnknownScope = errors.New("framework: unknown scope")
	// ErrBadOption means a route option has a value it cannot take.
	ErrBadOption = errors.New("framework: bad route option")
	// ErrLateMiddleware means middleware reached the gin engine after the
	// framework mounted its routes, so gin would not run it for them. The
	// app refuses to start.
	ErrLateMiddleware = errors.New("framework: middleware added after the routes were mounted")
)

// FieldError describes one invalid input field of a 422 answer.
type FieldError = problem.FieldError

// HTTPError is an error with an HTTP status. Handlers and dependencies return
// it to refuse a request with a specific answer; it is rendered as an RFC 9457
// problem. Any error type with a StatusCode() int method is treated the same
// way, and a ResponseHeader() http.Header method adds headers.
type HTTPError struct {
	// Status is the HTTP status code.
	Status int
	// Detail is sent to the client as the problem's detail.
	Detail string
	// Header holds extra response headers, such as WWW-Authenticate.
	Header http.Header
	// Fields lists invalid input fields (422 answers).
	Fields []FieldError
	// Err is the cause. It is logged for 5xx answers and never sent.
	Err error
}

// NewHTTPError returns an HTTPError with the given status and detail.
func NewHTTPError(status int, detail string) *HTTPError {
	return &HTTPError{Status: status, Detail: detail}
}

// Error implements error.
func (e *HTTPError) Error() string {
	msg := "framework: " + http.StatusText(e.Status)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *HTTPError) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status.
func (e *HTTPError) StatusCode() int { return e.Status }

// ResponseHeader returns the extra headers.
func (e *HTTPError) ResponseHeader() http.Header { return e.Header }

type statusCoder interface{ StatusCode() int }
type responseHeaderer interface{ ResponseHeader() http.Header }

// writeError renders err as problem+json. Statuses below 500 show their
// detail; anything else gets a generic detail and the cause goes to the log.
func writeError(c *gin.Context, log *slog.Logger, err error) {
	d := problemFor(err)
	if d.Status >= 500 {
		log.LogAttrs(c.Request.Context(), slog.LevelError, "request failed",
			slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
			slog.Int("status", d.Status), slog.Any("error", err))
	}
	var hh responseHeaderer
	if errors.As(err, &hh) {
		for k, vs := range hh.ResponseHeader() {
			for _, v := range vs {
				c.Writer.Header().Add(k, v)
			}
		}
	}
	problem.Write(c.Writer, d)
	c.Abort()
}

func problemFor(err error) *problem.Details {
	var (
		he *HTTPError
		se *security.Error
		fe *security.FormError
		mb *http.MaxBytesError
		sc statusCoder
	)
	switch {
	case errors.As(err, &he):
		d := problem.New(he.Status, he.Detail)
		if he.Status >= 500 {
			d.Detail = genericDetail
		}
		d.Errors = he.Fields
		return d
	case errors.As(err, &se):
		return problem.New(se.Status, se.Detail)
	case errors.As(err, &fe):
		detail := fe.Detail
		if detail == "" {
			detail = "the request form is invalid"
		}
		d := problem.New(fe.StatusCode(), detail)
		for _, f := range fe.Fields {
			d.Errors = append(d.Errors, FieldError{Location: f.Location, Field: f.Field, Message: f.Message})
		}
		return d
	case errors.As(err, &mb):
		return problem.New(http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", mb.Limit))
	case errors.Is(err, context.Canceled):
		// The client went away; 499 is not standard, so log as a 400-class answer nobody reads.
		return problem.New(http.StatusBadRequest, "the request was cancelled")
	case errors.As(err, &sc) && sc.StatusCode() >= 400 && sc.StatusCode() < 500:
		return problem.New(sc.StatusCode(), err.Error())
	default:
		return problem.New(http.StatusInternalServerError, genericDetail)
	}
}

const genericDetail = "the server could not complete the request"
