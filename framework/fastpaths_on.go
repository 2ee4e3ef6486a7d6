//go:build !portcullis_reflect

package framework

// fastPathsBuilt reports whether this build may call functions without
// reflect (see fastcall.go). Build with -tags portcullis_reflect to take
// reflect.Value.Call for every call and the general path for every route.
const fastPathsBuilt = true
