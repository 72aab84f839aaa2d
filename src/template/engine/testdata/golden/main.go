// Command golden runs each case of cases.json through Go's text/template and
// writes expected.json (output or error text per case). It is not part of
// drover's build: run it by hand with `go run main.go` in this folder after
// changing cases.json, then commit both files.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/template"
)

type tcase struct {
	Name       string          `json:"name"`
	Template   string          `json:"template"`
	Data       json.RawMessage `json:"data"`
	MissingKey string          `json:"missingKey,omitempty"`
	LeftDelim  string          `json:"leftDelim,omitempty"`
	RightDelim string          `json:"rightDelim,omitempty"`
	GoVersion  string          `json:"goVersion,omitempty"` // needs a newer Go: Expect is hand-written from Go's docs
	Expect     *result         `json:"expect,omitempty"`
}

type result struct {
	Name   string  `json:"name"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

// normalize turns json.Number into int when integral (drover's value model), else float64.
func normalize(v interface{}) interface{} {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case []interface{}:
		for i := range x {
			x[i] = normalize(x[i])
		}
		return x
	case map[string]interface{}:
		for k := range x {
			x[k] = normalize(x[k])
		}
		return x
	}
	return v
}

// The same functions are defined in engine.test.ts.
var funcs = template.FuncMap{
	"upper": func(args ...interface{}) (interface{}, error) { return strings.ToUpper(fmt.Sprint(args...)), nil },
	"fail":  func(args ...interface{}) (interface{}, error) { return nil, errors.New("boom: " + fmt.Sprint(args...)) },
	"list":  func(args ...interface{}) (interface{}, error) { return args, nil },
	"dict": func(args ...interface{}) (interface{}, error) {
		m := map[string]interface{}{}
		for i := 0; i+1 < len(args); i += 2 {
			m[fmt.Sprint(args[i])] = args[i+1]
		}
		return m, nil
	},
	"add": func(args ...interface{}) (interface{}, error) {
		n := 0
		for _, a := range args {
			i, ok := a.(int)
			if !ok {
				return nil, fmt.Errorf("add: not an int: %v", a)
			}
			n += i
		}
		return n, nil
	},
	"nilfn": func(args ...interface{}) (interface{}, error) { return nil, nil },
	"argc":  func(args ...interface{}) (interface{}, error) { return len(args), nil },
}

func run(c tcase) result {
	var data interface{}
	if len(c.Data) > 0 {
		d := json.NewDecoder(bytes.NewReader(c.Data))
		d.UseNumber()
		if err := d.Decode(&data); err != nil {
			panic(c.Name + ": " + err.Error())
		}
		data = normalize(data)
	}
	t := template.New("app.tpl").Funcs(funcs).Delims(c.LeftDelim, c.RightDelim)
	if c.MissingKey != "" {
		t = t.Option("missingkey=" + c.MissingKey)
	}
	r := result{Name: c.Name}
	if _, err := t.Parse(c.Template); err != nil {
		s := err.Error()
		r.Error = &s
		return r
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		s := err.Error()
		r.Error = &s
		return r
	}
	s := b.String()
	r.Output = &s
	return r
}

func main() {
	raw, err := os.ReadFile("cases.json")
	if err != nil {
		panic(err)
	}
	var cases []tcase
	if err := json.Unmarshal(raw, &cases); err != nil {
		panic(err)
	}
	var out []result
	for _, c := range cases {
		if c.GoVersion != "" {
			if c.Expect == nil {
				panic("no hand-written expectation for " + c.Name)
			}
			r := *c.Expect
			r.Name = c.Name
			out = append(out, r)
			continue
		}
		out = append(out, run(c))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
	if err := os.WriteFile("expected.json", buf.Bytes(), 0o644); err != nil {
		panic(err)
	}
	fmt.Printf("%d cases\n", len(out))
}
