package oas

import (
	"errors"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

type (
	withChan struct {
		Name  string   `json:"name"`
		Inner chanHold `json:"inner"`
	}
	chanHold struct {
		Events chan int `json:"events"`
	}
	structKeys struct {
		ByPoint map[struct{ X int }]string `json:"by_point"`
	}
	structQuery struct {
		Filter address `form:"filter"`
	}
	badMin struct {
		Name string `json:"name" binding:"min=abc"`
	}
	badExample struct {
		Count int `form:"count" example:"many"`
	}
	badDefault struct {
		On bool `json:"on" default:"maybe"`
	}
	badDive struct {
		Name string `json:"name" binding:"dive,min=1"`
	}
	strayURI struct {
		ID int `uri:"id"`
	}
	bodyInput struct {
		Name string `json:"name"`
	}
)

func passwordScheme(desc string) *openapi3.SecurityScheme {
	return &openapi3.SecurityScheme{Type: "oauth2", Description: desc, Flows: &openapi3.OAuthFlows{
		Password: &openapi3.OAuthFlow{TokenURL: "/token", Scopes: map[string]string{"me": "Read your profile."}},
	}}
}

func TestAddSchemeErrors(t *testing.T) {
	tests := []struct {
		name   string
		first  *openapi3.SecurityScheme
		second *openapi3.SecurityScheme
		as     string
		want   string // "" means no error
		is     error
	}{
		{
			name: "different kind", first: passwordScheme(""), as: "oauth2",
			second: &openapi3.SecurityScheme{Type: "http", Scheme: "bearer", BearerFormat: "JWT"},
			want: `oas: conflicting security scheme: "oauth2" is added twice, first as oauth2 with flows password (tokenUrl "/token"), ` +
				`then as http bearer (JWT); give each scheme its own name`,
			is: ErrConflictingScheme,
		},
		{
			name: "different api key", first: &openapi3.SecurityScheme{Type: "apiKey", In: "header", Name: "X-API-Key"},
			second: &openapi3.SecurityScheme{Type: "apiKey", In: "query", Name: "api_key"}, as: "APIKey",
			want: `oas: conflicting security scheme: "APIKey" is added twice, first as apiKey in header "X-API-Key", ` +
				`then as apiKey in query "api_key"; give each scheme its own name`,
			is: ErrConflictingScheme,
		},
		{
			name: "same kind, other description", first: passwordScheme("one"), second: passwordScheme("two"), as: "oauth2",
			want: `oas: conflicting security scheme: "oauth2" is added twice, first as oauth2 with flows password (tokenUrl "/token"), ` +
				`then as oauth2 with flows password (tokenUrl "/token") with a different description or scope list; give each scheme its own name`,
			is: ErrConflictingScheme,
		},
		{name: "same definition twice", first: passwordScheme("x"), second: passwordScheme("x"), as: "oauth2"},
		{
			name: "invalid name", second: passwordScheme(""), as: "my scheme",
			want: `oas: invalid security scheme: name "my scheme" must match ^[a-zA-Z0-9._-]+$`, is: ErrInvalidScheme,
		},
		{
			name: "nil definition", as: "nil",
			want: `oas: invalid security scheme: "nil" has no definition`, is: ErrInvalidScheme,
		},
		{
			name: "kin-openapi refuses it", second: &openapi3.SecurityScheme{Type: "apiKey", In: "body", Name: "k"}, as: "k",
			want: `oas: invalid security scheme: "k": security scheme of type 'apiKey' should have 'in'. It can be 'query', 'header' or 'cookie', not "body"`,
			is:   ErrInvalidScheme,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder(Info{Title: "t", Version: "1"})
			if tt.first != nil {
				if err := b.AddScheme(tt.as, tt.first); err != nil {
					t.Fatalf("first AddScheme: %v", err)
				}
			}
			err := b.AddScheme(tt.as, tt.second)
			checkErr(t, err, tt.want, tt.is)
		})
	}
}

func TestAddOperationErrors(t *testing.T) {
	tests := []struct {
		name  string
		first *Operation
		op    Operation
		want  string
		is    error
	}{
		{
			name:  "duplicate method and path",
			first: &Operation{Method: "GET", Path: "/users/:id", OperationID: "a"},
			op:    Operation{Method: "get", Path: "/users/:id", OperationID: "b"},
			want:  `oas: GET /users/:id: duplicate operation: GET /users/{id} is already documented (as GET /users/:id)`,
			is:    ErrDuplicateOperation,
		},
		{
			name:  "paths differing in parameter names",
			first: &Operation{Method: "GET", Path: "/users/:id"},
			op:    Operation{Method: "POST", Path: "/users/:uid"},
			want: `oas: POST /users/:uid: conflicting paths: /users/{uid} and /users/{id} differ only in parameter names; ` +
				`use the same names in both routes`,
			is: ErrConflictingPath,
		},
		{
			name:  "operationId taken",
			first: &Operation{Method: "GET", Path: "/a", OperationID: "read"},
			op:    Operation{Method: "GET", Path: "/b", OperationID: "read"},
			want:  `oas: GET /b: duplicate operationId: "read" is already used by GET /a`,
			is:    ErrDuplicateOperationID,
		},
		{
			name:  "derived operationId taken",
			first: &Operation{Method: "GET", Path: "/a-b"},
			op:    Operation{Method: "GET", Path: "/a_b"},
			want:  `oas: GET /a_b: duplicate operationId: "get_a_b" is already used by GET /a-b`,
			is:    ErrDuplicateOperationID,
		},
		{
			name: "unknown method", op: Operation{Method: "FETCH", Path: "/"},
			want: `oas: FETCH /: invalid operation: method "FETCH" is not one of GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH, TRACE`,
			is:   ErrInvalidOperation,
		},
		{
			name: "relative path", op: Operation{Method: "GET", Path: "users"},
			want: `oas: GET users: invalid operation: path "users" must start with /`, is: ErrInvalidOperation,
		},
		{
			name: "catch-all before the end", op: Operation{Method: "GET", Path: "/files/*rest/x"},
			want: `oas: GET /files/*rest/x: invalid operation: path "/files/*rest/x" has a catch-all parameter before its end`,
			is:   ErrInvalidOperation,
		},
		{
			name: "unnamed parameter", op: Operation{Method: "GET", Path: "/files/:/x"},
			want: `oas: GET /files/:/x: invalid operation: path "/files/:/x" has a parameter without a valid name`,
			is:   ErrInvalidOperation,
		},
		{
			name: "brace in path", op: Operation{Method: "GET", Path: "/files/{id}"},
			want: `oas: GET /files/{id}: invalid operation: path "/files/{id}" has a brace, which OpenAPI reserves for parameters`,
			is:   ErrInvalidOperation,
		},
		{
			name: "uri tag without path parameter",
			op:   Operation{Method: "GET", Path: "/users/:user_id", Inputs: []reflect.Type{typeOf[strayURI]()}},
			want: `oas: GET /users/:user_id: invalid struct tag: oas.strayURI.ID (int): uri:"id" names no parameter of the path (it has :user_id)`,
			is:   ErrInvalidTag,
		},
		{
			name: "channel deep in the body",
			op:   Operation{Method: "POST", Path: "/x", Inputs: []reflect.Type{typeOf[withChan]()}},
			want: `oas: POST /x: unsupported type: oas.chanHold.Events (chan int): encoding/json cannot carry a chan`,
			is:   ErrUnsupportedType,
		},
		{
			name: "map with struct keys in the result",
			op:   Operation{Method: "GET", Path: "/x", Result: typeOf[structKeys]()},
			want: `oas: GET /x: unsupported type: oas.structKeys.ByPoint (map[struct { X int }]string): ` +
				`encoding/json cannot use struct { X int } as a map key`,
			is: ErrUnsupportedType,
		},
		{
			name: "struct as a query parameter",
			op:   Operation{Method: "GET", Path: "/x", Inputs: []reflect.Type{typeOf[structQuery]()}},
			want: `oas: GET /x: unsupported type: oas.structQuery.Filter (oas.address): ` +
				`a query or form field "filter" must be a string, number, boolean, time or a slice of them`,
			is: ErrUnsupportedType,
		},
		{
			name: "input is not a struct",
			op:   Operation{Method: "GET", Path: "/x", Inputs: []reflect.Type{typeOf[int]()}},
			want: `oas: GET /x: unsupported type: input int is a int, not a struct`, is: ErrUnsupportedType,
		},
		{
			name: "nil input", op: Operation{Method: "GET", Path: "/x", Inputs: []reflect.Type{nil}},
			want: `oas: GET /x: unsupported type: input 0 is nil`, is: ErrUnsupportedType,
		},
		{
			name: "binding min is not a number",
			op:   Operation{Method: "POST", Path: "/x", Inputs: []reflect.Type{typeOf[badMin]()}},
			want: `oas: POST /x: invalid struct tag: oas.badMin.Name (string): binding rule "min=abc" needs a number`,
			is:   ErrInvalidTag,
		},
		{
			name: "example of the wrong type",
			op:   Operation{Method: "GET", Path: "/x", Inputs: []reflect.Type{typeOf[badExample]()}},
			want: `oas: GET /x: invalid struct tag: oas.badExample.Count (int): example: "many" is not an integer`,
			is:   ErrInvalidTag,
		},
		{
			name: "default of the wrong type",
			op:   Operation{Method: "GET", Path: "/x", Result: typeOf[badDefault]()},
			want: `oas: GET /x: invalid struct tag: oas.badDefault.On (bool): default: "maybe" is not a boolean`,
			is:   ErrInvalidTag,
		},
		{
			name: "dive on a string",
			op:   Operation{Method: "GET", Path: "/x", Result: typeOf[badDive]()},
			want: `oas: GET /x: invalid struct tag: oas.badDive.Name (string): binding rule dive needs a slice, array or map, not type string`,
			is:   ErrInvalidTag,
		},
		{
			name: "JSON body on GET",
			op:   Operation{Method: "GET", Path: "/x", Inputs: []reflect.Type{typeOf[bodyInput]()}},
			want: `oas: GET /x: invalid operation: oas.bodyInput has json fields, but a GET request has no body in OpenAPI tools`,
			is:   ErrInvalidOperation,
		},
		{
			name: "success status not 2xx", op: Operation{Method: "GET", Path: "/x", Status: 302},
			want: `oas: GET /x: invalid operation: success status 302 is not 2xx`, is: ErrInvalidOperation,
		},
		{
			name: "result with 204", op: Operation{Method: "GET", Path: "/x", Status: 204, Result: typeOf[bodyInput]()},
			want: `oas: GET /x: invalid operation: status 204 has no body, but the result is oas.bodyInput`,
			is:   ErrInvalidOperation,
		},
		{
			name: "problem status not an error", op: Operation{Method: "GET", Path: "/x", Problems: []int{200}},
			want: `oas: GET /x: invalid operation: problem status 200 is not 4xx or 5xx`, is: ErrInvalidOperation,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder(Info{Title: "t", Version: "1"})
			if tt.first != nil {
				if err := b.AddOperation(*tt.first); err != nil {
					t.Fatalf("first AddOperation: %v", err)
				}
			}
			checkErr(t, b.AddOperation(tt.op), tt.want, tt.is)
			// A refused operation leaves the builder as it was.
			if _, err := b.Document(); err != nil {
				t.Fatalf("Document after a refused operation: %v", err)
			}
		})
	}
}

func TestDocumentErrors(t *testing.T) {
	tests := []struct {
		name string
		info Info
		op   Operation
		want string
		is   error
	}{
		{
			name: "scheme never added",
			info: Info{Title: "t", Version: "1"},
			op:   Operation{Method: "GET", Path: "/x", Security: []map[string][]string{{"bearer": nil}}},
			want: `oas: GET /x: unknown security scheme: "bearer" was never added (added: apiKey, oauth2)`,
			is:   ErrUnknownScheme,
		},
		{
			name: "scope the flows do not declare",
			info: Info{Title: "t", Version: "1"},
			op:   Operation{Method: "GET", Path: "/x", Security: []map[string][]string{{"oauth2": {"me", "admin"}}}},
			want: `oas: GET /x: unknown security scheme: scope "admin" is not declared by any flow of oauth2 scheme "oauth2"`,
			is:   ErrUnknownScheme,
		},
		{
			name: "scopes on an api key",
			info: Info{Title: "t", Version: "1"},
			op:   Operation{Method: "GET", Path: "/x", Security: []map[string][]string{{"apiKey": {"me"}}}},
			want: `oas: GET /x: invalid operation: scheme "apiKey" is apiKey in header "X-API-Key", ` +
				`and OpenAPI 3.0 allows scopes only for oauth2 and openIdConnect (got "me")`,
			is: ErrInvalidOperation,
		},
		{
			name: "no title",
			info: Info{Version: "1"},
			op:   Operation{Method: "GET", Path: "/x"},
			want: `oas: invalid document: invalid info: value of title must be a non-empty string`,
			is:   ErrInvalidDocument,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder(tt.info)
			if err := b.AddScheme("oauth2", passwordScheme("")); err != nil {
				t.Fatal(err)
			}
			if err := b.AddScheme("apiKey", &openapi3.SecurityScheme{Type: "apiKey", In: "header", Name: "X-API-Key"}); err != nil {
				t.Fatal(err)
			}
			if err := b.AddOperation(tt.op); err != nil {
				t.Fatalf("AddOperation: %v", err)
			}
			doc, err := b.Document()
			checkErr(t, err, tt.want, tt.is)
			if doc != nil {
				t.Errorf("Document returned a document with the error")
			}
		})
	}
}

// checkErr checks err's exact text and its sentinel. want "" means nil.
func checkErr(t *testing.T, err error, want string, is error) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if err.Error() != want {
		t.Errorf("error text\n  got:  %s\n  want: %s", err, want)
	}
	if !errors.Is(err, is) {
		t.Errorf("errors.Is(%v, %v) = false", err, is)
	}
}
