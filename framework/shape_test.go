package framework

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/portcullis/portcullis/security"
)

type shapeInner struct {
	Tag  string
	Seen bool
}

type shapeMixed struct {
	A  int8
	S  string
	P  *int
	OK bool
	N  int32
}

type shapeSmall struct {
	U16 uint16
	I8  int8
}

type shapeNested struct {
	In    shapeInner
	Empty struct{}
	Count uint
}

type shapeRefs struct {
	List []string
	Any  any
	M    map[string]int
}

type shapeErr struct {
	Err error
	ID  uintptr
}

// heapString returns a string whose bytes are on the heap and referenced
// only by the result, so a lost pointer would show after a collection.
func heapString(n int) string { return strings.Repeat("x", n) + strconv.Itoa(n) }

// The shaped call of every supported result shape returns what the function
// returned, checked against a direct call, with a collection forced while
// the only references to the result's heap memory are in registers.
func TestShapedCallsMatchDirectCalls(t *testing.T) {
	needFastPaths(t)
	if !shapedABI {
		t.Skipf("shaped calls are off on %s", runtime.GOARCH)
	}
	x := 42
	sentinel := errors.New("refused")
	cases := []struct {
		name string
		fn   any
		args []unsafe.Pointer
	}{
		{"int", func() int { return 300 }, nil},
		{"small int", func() int { return 7 }, nil},
		{"negative int8", func() int8 { return -1 }, nil},
		{"bool", func() bool { return true }, nil},
		{"uint16", func() uint16 { return 65535 }, nil},
		{"string", func() string { runtime.GC(); return heapString(40) }, nil},
		{"slice", func() []int { s := []int{1, 2, 3}; runtime.GC(); return s }, nil},
		{"mixed", func(p *int) shapeMixed {
			s := heapString(10)
			runtime.GC()
			return shapeMixed{A: -5, S: s, P: p, OK: true, N: -123456}
		}, []unsafe.Pointer{unsafe.Pointer(&x)}},
		{"mixed with error", func(p *int) (shapeMixed, error) {
			return shapeMixed{A: 1, S: "s", P: p, N: 2}, nil
		}, []unsafe.Pointer{unsafe.Pointer(&x)}},
		{"seven leaves", func(p *int) (struct {
			User, Email, Name string
			Disabled          bool
		}, error) {
			return struct {
				User, Email, Name string
				Disabled          bool
			}{heapString(1), heapString(2), heapString(*p % 7), true}, nil
		}, []unsafe.Pointer{unsafe.Pointer(&x)}},
		{"small fields", func() shapeSmall { return shapeSmall{U16: 513, I8: -128} }, nil},
		{"nested", func() shapeNested {
			return shapeNested{In: shapeInner{Tag: heapString(3), Seen: true}, Count: 1 << 40}
		}, nil},
		{"references", func(a, b *int) shapeRefs {
			r := shapeRefs{List: []string{heapString(5)}, Any: heapString(6), M: map[string]int{"k": *a + *b}}
			runtime.GC()
			return r
		}, []unsafe.Pointer{unsafe.Pointer(&x), unsafe.Pointer(&x)}},
		{"interface field", func(a, b, c *int) (shapeErr, error) {
			return shapeErr{Err: sentinel, ID: 99}, nil
		}, []unsafe.Pointer{unsafe.Pointer(&x), unsafe.Pointer(&x), unsafe.Pointer(&x)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fn := reflect.ValueOf(tc.fn)
			fc := newFastCall(fn, true)
			if fc == nil || fc.shape == nil {
				t.Fatalf("%s takes no shaped call", fn.Type())
			}
			var a [3]unsafe.Pointer
			copy(a[:], tc.args)
			in := make([]reflect.Value, len(tc.args))
			for i := range in {
				in[i] = reflect.NewAt(fn.Type().In(i).Elem(), tc.args[i])
			}
			for range 3 {
				p, err := fc.call(a[0], a[1], a[2], nil, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				runtime.GC()
				got := fc.box(p)
				want := fn.Call(in)[0].Interface()
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("shaped call gave %#v, want %#v", got, want)
				}
			}
		})
	}
}

func TestShapedCallError(t *testing.T) {
	needFastPaths(t)
	if !shapedABI {
		t.Skip("shaped calls are off")
	}
	want := errors.New("refused")
	fc := newFastCall(reflect.ValueOf(func() (shapeMixed, error) { return shapeMixed{S: "lost"}, want }), true)
	if fc == nil {
		t.Fatal("no shaped call")
	}
	if p, err := fc.call(nil, nil, nil, nil, nil, nil); err != want || p != nil {
		t.Fatalf("got %v, %v; want nil, %v", p, err, want)
	}
}

// Shapes the registers do not carry leaf by leaf keep reflect.Value.Call.
func TestShapesWithoutShapedCall(t *testing.T) {
	type floaty struct{ F float64 }
	type arrayed struct{ A [2]int }
	type onePointer struct{ P *int }
	type tooWide struct{ A, B, C, D, E, F, G, H int }
	for _, fn := range []any{
		func() float64 { return 1 },
		func() floaty { return floaty{} },
		func() arrayed { return arrayed{} },
		func() onePointer { return onePointer{} },
		func() tooWide { return tooWide{} },
		func() any { return 1 },
		func() error { return nil },
		func(int) shapeMixed { return shapeMixed{} },
		func(a, b, c, d, e, f, g *int) shapeMixed { return shapeMixed{} },
		func(a, b, c context.Context, d *int) shapeMixed { return shapeMixed{} },
		func(s string) *int { return nil },
		func() (shapeMixed, int) { return shapeMixed{}, 0 },
	} {
		if fc := newFastCall(reflect.ValueOf(fn), true); fc != nil {
			t.Errorf("%T got a fast call", fn)
		}
	}
	if fc := newFastCall(reflect.ValueOf(func() shapeMixed { return shapeMixed{} }), false); fc != nil {
		t.Error("a dependency's value result got a shaped call")
	}
}

// Many goroutines make shaped calls while collections run, as requests do.
func TestShapedCallsUnderConcurrentCollections(t *testing.T) {
	needFastPaths(t)
	if !shapedABI {
		t.Skip("shaped calls are off")
	}
	fc := newFastCall(reflect.ValueOf(func(p *int) (shapeRefs, error) {
		return shapeRefs{List: []string{heapString(*p)}, Any: heapString(*p + 1)}, nil
	}), true)
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	}()
	defer close(stop)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				n := g*10 + i%50
				p, err := fc.call(unsafe.Pointer(&n), nil, nil, nil, nil, nil)
				if err != nil {
					t.Error(err)
					return
				}
				r := fc.box(p).(shapeRefs)
				if r.List[0] != heapString(n) || r.Any != heapString(n+1) {
					t.Errorf("corrupted result %q %q for %d", r.List[0], r.Any, n)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestShapedABIOnRegisterPlatforms(t *testing.T) {
	if (runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64") && !shapedABI {
		t.Fatal("the shape canary failed on a register-ABI platform")
	}
}

// The generated table has a shaped call for every word sequence.
func TestShapeTableIsComplete(t *testing.T) {
	if want := 1<<(maxShapeLeaves+1) - 2; len(shapedCalls) != want {
		t.Fatalf("%d shapes, want %d; run go generate ./framework/", len(shapedCalls), want)
	}
	for k, f := range shapedCalls {
		if f == nil || len(k) > maxShapeLeaves || strings.Trim(k, "PN") != "" {
			t.Errorf("bad shape entry %q", k)
		}
	}
}

// schemeData hands a scheme call the scheme's own value, and a copy when
// the value Authenticate returned is not stored as expected.
func TestSchemeData(t *testing.T) {
	typ := reflect.TypeFor[security.APIKeyHeader]()
	e := &schemeEntry{typ: typ, regVal: reflect.ValueOf(security.APIKeyHeader{}), tab: schemeTab(typ)}
	if e.tab == nil {
		t.Fatal("APIKeyHeader takes no scheme call")
	}
	var got security.Scheme = security.APIKeyHeader{Name: "X-A"}
	direct := schemeData(e, got)
	if direct != (*[2]unsafe.Pointer)(unsafe.Pointer(&got))[1] || (*security.APIKeyHeader)(direct).Name != "X-A" {
		t.Fatal("the scheme's own value was not used")
	}
	e.tab = unsafe.Pointer(&typ) // anything else
	if c := schemeData(e, got); c == direct || (*security.APIKeyHeader)(c).Name != "X-A" {
		t.Fatal("no faithful copy")
	}
	if schemeTab(reflect.TypeFor[shapeMixed]()) != nil {
		t.Fatal("a type that is no scheme of the security package got a scheme call")
	}
}

// shape_gen.go is what its generator writes today.
func TestShapeGenIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	out := filepath.Join(t.TempDir(), "shape_gen.go")
	cmd := exec.Command("go", "run", "./internal/shapegen", "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("shapegen: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("shape_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("shape_gen.go is stale; run go generate ./framework/")
	}
}
