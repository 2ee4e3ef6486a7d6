//go:build portcullis_reflect

package framework

// fastPathsBuilt is false in builds tagged portcullis_reflect: every call
// takes reflect.Value.Call and every route the general path, trading speed
// for code that makes no assumption about Go's calling convention.
const fastPathsBuilt = false
