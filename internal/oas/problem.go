package oas

import (
	"net/http"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// Names of the component schemas that describe error bodies. A user type
// with one of these names is qualified with its package instead.
const (
	ProblemSchema           = "Problem"
	ValidationProblemSchema = "ValidationProblem"
)

// problemContentType is the media type of RFC 9457 problem details.
const problemContentType = "application/problem+json"

// problemProperties returns the members of an RFC 9457 problem object.
func problemProperties() openapi3.Schemas {
	str := func(format, desc string) *openapi3.SchemaRef {
		s := typed(openapi3.TypeString, format)
		s.Description = desc
		return inline(s)
	}
	status := rangeSchema(100, 599)
	status.Description = "The HTTP status code of the response."
	return openapi3.Schemas{
		"type": str("uri-reference",
			`A URI reference that identifies the problem type; "about:blank" when the status says it all.`),
		"title":    str("", "A short summary of the problem type."),
		"status":   inline(status),
		"detail":   str("", "An explanation of this occurrence of the problem."),
		"instance": str("uri-reference", "A URI reference that identifies this occurrence of the problem."),
	}
}

// problemSchema returns the schema of an RFC 9457 problem details body.
func problemSchema() *openapi3.Schema {
	s := typed(openapi3.TypeObject, "")
	s.Description = "An error, as RFC 9457 problem details."
	s.Properties = problemProperties()
	s.Required = []string{"title", "status", "detail"}
	return s
}

// validationProblemSchema returns the schema of a 422 body: a problem with
// one entry per invalid input field.
func validationProblemSchema() *openapi3.Schema {
	s := problemSchema()
	s.Description = "Invalid input, as RFC 9457 problem details with one entry per invalid field."
	field := typed(openapi3.TypeObject, "")
	field.Required = []string{"location", "field", "message"}
	location := typed(openapi3.TypeString, "")
	location.Description = "Where the field was read from."
	location.Enum = []any{"path", "query", "header", "cookie", "body", "form"}
	name := typed(openapi3.TypeString, "")
	name.Description = "The field's name on the wire."
	message := typed(openapi3.TypeString, "")
	message.Description = "What is wrong with the value."
	field.Properties = openapi3.Schemas{
		"location": inline(location),
		"field":    inline(name),
		"message":  inline(message),
	}
	list := typed(openapi3.TypeArray, "")
	list.Items = inline(field)
	// Not required: the problem writer leaves an empty list out.
	list.Description = "The invalid fields."
	s.Properties["errors"] = inline(list)
	return s
}

// problemResponse returns the response for an error status. The schema is
// a reference to the shared Problem (or, for 422, ValidationProblem)
// component; 401 and 403 also document the WWW-Authenticate challenge.
func problemResponse(status int, schemas openapi3.Schemas) *openapi3.ResponseRef {
	name, build := ProblemSchema, problemSchema
	if status == http.StatusUnprocessableEntity {
		name, build = ValidationProblemSchema, validationProblemSchema
	}
	body, ok := schemas[name]
	if !ok {
		body = inline(build())
		schemas[name] = body
	}
	resp := openapi3.NewResponse().
		WithDescription(statusDescription(status)).
		WithContent(openapi3.Content{
			problemContentType: openapi3.NewMediaType().
				WithSchemaRef(openapi3.NewSchemaRef("#/components/schemas/"+name, body.Value)),
		})
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		desc := "How to authenticate, as RFC 9110 challenges such as `Bearer realm=\"api\"`."
		if status == http.StatusForbidden {
			desc = "Why the credential is not enough, such as `Bearer error=\"insufficient_scope\", scope=\"items\"`."
		}
		resp.Headers = openapi3.Headers{
			"WWW-Authenticate": &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
				Description: desc,
				Schema:      inline(typed(openapi3.TypeString, "")),
			}}},
		}
	}
	return &openapi3.ResponseRef{Value: resp}
}

// statusDescription is the description of a response with status.
func statusDescription(status int) string {
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "Status " + strconv.Itoa(status)
}
