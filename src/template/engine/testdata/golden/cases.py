# Generates cases.json (run: python3 cases.py && go run main.go). Each case:
# (template, data, extra options). Names are group/index.
import json

groups = {}
def g(name, *cases):
    groups.setdefault(name, []).extend(cases)

D = {"Name": "web", "Count": 3, "Pi": 3.14159, "Neg": -7, "Empty": "", "Zero": 0, "T": True, "F": False,
     "List": [1, 2, 3], "Strs": ["b", "a", "c"], "Nil": None, "EmptyList": [], "EmptyMap": {},
     "Map": {"b": 2, "a": 1, "c": 3}, "Nested": {"Inner": {"Deep": "x"}, "Arr": [{"k": "v0"}, {"k": "v1"}]},
     "Mixed": [1, "two", 3.5, None, True, {"z": 1}], "Big": 1e21, "Half": 0.5, "Float": 2.5, "Huge": 123456789.5}

g("text",
  ("plain text", None), ("", None), ("a\nb\n", None), ("{{/* comment */}}x", None), ("x{{/* multi\nline */}}y", None),
  ("{{`raw`}}", None), ("{{\"q\\tq\"}}", None), ("{{'a'}}", None), ("{{'\\n'}}", None), ("{{0x1F}}", None),
  ("{{0o17}}", None), ("{{0b101}}", None), ("{{1_000}}", None), ("{{017}}", None), ("{{1e3}}", None), ("{{1.5e-7}}", None),
  ("{{-3}}", None), ("{{+4}}", None), ("{{.5}}", None), ("{{true}} {{false}}", None), ("{{\"\\u00e9\\x41\"}}", None),
  ("{{ \"spaced\" }}", None), ("{{0x1p-2}}", None), ("{{1e100}}", None),
)
g("trim",
  ("a  {{- 1}}", None), ("{{1 -}}   b", None), ("a \n\t {{- 1 -}} \n b", None), ("a {{- /* c */ -}} b", None),
  ("x\n{{- range .List}}\n  {{.}}\n{{- end}}\n", D), ("{{- 3 -}}", None), ("a {{-3}}", None), ("a {{- -3 -}} b", None),
  ("line1\n  {{- if .T }}\n  yes\n  {{- end }}\nline3", D), ("{{23 -}}\n\n<{{- 45}}", None),
)
g("field",
  ("{{.Name}}", D), ("{{.Nested.Inner.Deep}}", D), ("{{.Missing}}", D), ("{{.Missing.Deeper}}", D), ("{{.Nil}}", D),
  ("{{.}}", "str"), ("{{.}}", 42), ("{{.}}", None), ("{{.List}}", D), ("{{.Map}}", D), ("{{.Mixed}}", D), ("{{.EmptyMap}}", D),
  ("{{.Nested}}", D), ("{{$}}", 5), ("{{$.Name}}", D), ("{{.Nested.Arr}}", D), ("{{(index .Nested.Arr 1).k}}", D),
  ("{{.Name.Foo}}", D), ("{{.List.Foo}}", D), ("{{.Nil.Foo}}", D), ("{{.Count.X}}", D), ("{{.X}}", 5), ("{{.X}}", [1]),
  ("{{.X}}", None), ("{{.Name 1}}", D), ("{{.Map.a}}", D), ("{{.Map.zz}}", D), ("{{with .Nested}}{{.Inner.Deep}}{{end}}", D),
)
g("missingkey",
  ("{{.Missing}}", D, {"missingKey": "zero"}), ("{{.Missing}}", D, {"missingKey": "error"}), ("{{.Missing}}", D, {"missingKey": "default"}),
  ("{{.Nested.Nope}}", D, {"missingKey": "error"}), ("{{.Name}}", D, {"missingKey": "error"}), ("{{.Nil}}", D, {"missingKey": "error"}),
  ("{{.A.B}}", None, {"missingKey": "error"}), ("{{.A}}", None, {"missingKey": "error"}), ("{{.Missing.X}}", D, {"missingKey": "zero"}),
  ("{{index . \"nope\"}}", D, {"missingKey": "error"}), ("{{if .Missing}}y{{else}}n{{end}}", D, {"missingKey": "zero"}),
  ("{{printf \"%v\" .Missing}}", D, {"missingKey": "zero"}), ("{{.Missing | printf \"%T\"}}", D, {"missingKey": "zero"}),
)
g("var",
  ("{{$x := 1}}{{$x}}", None), ("{{$x := 1}}{{$x = 2}}{{$x}}", None), ("{{$x := .Name}}{{with .Count}}{{$x}}{{.}}{{end}}", D),
  ("{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}", None), ("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", None),
  ("{{$x := 1}}{{range .List}}{{$x = .}}{{end}}{{$x}}", D), ("{{$}}", None), ("{{$x}}", None), ("{{$x = 1}}", None),
  ("{{$x := .Map}}{{$x.a}}", D), ("{{$x, $y := 1}}", None), ("{{$x := 1}}{{$x 2}}", None), ("{{$x := list 1 2}}{{$x}}", None),
  ("{{with $x := .Name}}{{$x}}{{end}}", D), ("{{if $x := .T}}{{$x}}{{end}}", D), ("{{$a := 1}}{{$b := 2}}{{$a}}{{$b}}", None),
  ("{{$x := 3}}{{$x | printf \"%d\"}}", None), ("{{$.Count}}{{range .List}}{{$.Count}}{{end}}", D),
)
g("if",
  ("{{if .T}}yes{{end}}", D), ("{{if .F}}yes{{else}}no{{end}}", D), ("{{if .Empty}}y{{else}}n{{end}}", D),
  ("{{if .Zero}}y{{else}}n{{end}}", D), ("{{if .EmptyList}}y{{else}}n{{end}}", D), ("{{if .EmptyMap}}y{{else}}n{{end}}", D),
  ("{{if .Nil}}y{{else}}n{{end}}", D), ("{{if .Missing}}y{{else}}n{{end}}", D), ("{{if .Map}}y{{end}}", D),
  ("{{if .F}}a{{else if .Zero}}b{{else if .Count}}c{{else}}d{{end}}", D), ("{{if .F}}a{{else if .Zero}}b{{else}}d{{end}}", D),
  ("{{if 0.0}}y{{else}}n{{end}}", None), ("{{if \"\"}}y{{else}}n{{end}}", None), ("{{if .Half}}y{{end}}", D),
  ("{{if and .T .Count}}y{{end}}", D), ("{{if}}x{{end}}", None), ("{{if .T}}x", D), ("{{if .T}}x{{else}}y{{else}}z{{end}}", D),
  ("{{else}}", None), ("{{end}}", None), ("{{if .T}}x{{end}}{{end}}", D), ("{{if not .F}}neg{{end}}", D),
)
g("with",
  ("{{with .Name}}[{{.}}]{{end}}", D), ("{{with .Empty}}[{{.}}]{{else}}empty{{end}}", D), ("{{with .Nested.Inner}}{{.Deep}}{{end}}", D),
  ("{{with .Missing}}x{{else}}{{.Name}}{{end}}", D), ("{{with $v := .Count}}{{$v}}{{.}}{{end}}", D), ("{{with .List}}{{len .}}{{end}}", D),
  ("{{with .Nil}}x{{else}}nil{{end}}", D), ("{{with 0}}x{{else}}zero{{end}}", None),
)
g("range",
  ("{{range .List}}{{.}},{{end}}", D), ("{{range $i, $e := .List}}{{$i}}:{{$e}} {{end}}", D), ("{{range $e := .Strs}}{{$e}}{{end}}", D),
  ("{{range .Map}}{{.}}{{end}}", D), ("{{range $k, $v := .Map}}{{$k}}={{$v}};{{end}}", D), ("{{range .EmptyList}}x{{else}}empty{{end}}", D),
  ("{{range .EmptyMap}}x{{else}}empty{{end}}", D), ("{{range .Nil}}x{{else}}nil{{end}}", D), ("{{range .Missing}}x{{else}}missing{{end}}", D),
  ("{{range .Name}}x{{end}}", D), ("{{range .Pi}}x{{end}}", D), ("{{range .T}}x{{end}}", D), ("{{range .Nested.Arr}}{{.k}} {{end}}", D),
  ("{{range .Mixed}}[{{.}}]{{end}}", D), ("{{range .List}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}", D),
  ("{{range .List}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}}", D), ("{{break}}", None), ("{{continue}}", None),
  ("{{range .List}}{{range $.Strs}}{{.}}{{end}}|{{end}}", D), ("{{range $i, $e := .List}}{{range $j, $f := $.Strs}}{{$i}}{{$j}} {{end}}{{end}}", D),
  ("{{range .List}}{{$x := .}}{{$x}}{{end}}", D), ("{{range $i, $e := .List}}{{end}}{{$i}}", D), ("{{range $a, $b, $c := .List}}{{end}}", D),
  ("{{range .Mixed}}{{.z}}{{end}}", D), ("{{range .Nested.Arr}}{{.k.x}}{{end}}", D), ("{{range $k, $v := .Nested}}{{$k}} {{end}}", D),
  ("{{range .List}}{{break}}{{else}}e{{end}}", D), ("{{range $x := 1}}", None), ("{{range .List -}} {{.}} {{- end}}", D),
  ("{{range $i, $e := .Map}}{{$i}}{{end}}", D), ("{{range .List}}{{.}}{{continue}}x{{end}}", D),
  ("{{range $i, $c := \"abc\"}}{{$c}}{{end}}", None), ("{{range $x, 1}}{{end}}", None),
  ("{{range .}}{{.}} {{end}}", {"10": "a", "9": "b", "a": "c", "B": "d", "_": "e"}),
)
g("define",
  ('{{define "a"}}A{{.}}{{end}}{{template "a" 1}}', None), ('{{define "a"}}A{{end}}{{template "a"}}', None),
  ('{{template "nope"}}', None), ('{{define "a"}}[{{template "b" .}}]{{end}}{{define "b"}}<{{.}}>{{end}}{{template "a" "x"}}', None),
  ('{{block "b" .Name}}default {{.}}{{end}}', D), ('{{define "b"}}over{{end}}{{block "b" .}}default{{end}}', D),
  ('{{define "a"}}{{$}}{{end}}{{$x := 1}}{{template "a" .Name}}', D), ('{{define "a"}}{{$x}}{{end}}', None),
  ('{{define "a"}}1{{end}}{{define "a"}}2{{end}}', None), ('{{define "a"}}{{end}}{{define "a"}}2{{end}}{{template "a"}}', None),
  ('{{define "a"}}x{{.Foo}}{{end}}{{template "a" 3}}', None), ('{{define "rec"}}{{if .}}{{len .}}{{template "rec" (slice . 1)}}{{end}}{{end}}{{template "rec" .List}}', D),
  ('{{define "a"}}', None), ('{{define a}}{{end}}', None), ('{{define "a" 1}}{{end}}', None), ('{{template .Name}}', D),
  ('{{define "a"}}{{range .}}{{.}}{{end}}{{end}}{{template "a" .Strs}}', D), ('{{template "a" 1 2}}', None),
  ('x{{define "a"}}\n\n{{.Nope.X}}{{end}}\n{{template "a" 1}}', None), ('{{define "a"}}{{break}}{{end}}', None),
  ('{{define `raw`}}R{{end}}{{template `raw`}}', None), ('{{template "app.tpl"}}', None),
)
g("pipe",
  ("{{.Name | printf \"%s!\"}}", D), ("{{1 | printf \"%d %d\" 2}}", None), ("{{\"a\" | printf \"%s-%s\" \"b\" | printf \"<%s>\"}}", None),
  ("{{(printf \"%d\" 3)}}", None), ("{{(.Nested).Inner.Deep}}", D), ("{{(index .Nested.Arr 0).k}}", D), ("{{.Name | len}}", D),
  ("{{1 | 2}}", None), ("{{. | .}}", None), ("{{| 1}}", None), ("{{1 |}}", None), ("{{(1)}}", None), ("{{(1 2)}}", None),
  ("{{()}}", None), ("{{(}}", None), ("{{)}}", None), ("{{((1))}}", None), ("{{nil}}", None), ("{{(nil).X}}", None),
  ("{{\"x\".Foo}}", None), ("{{1 2}}", None), ("{{print (print 1) (print 2)}}", None), ("{{.Count | add 2}}", D),
  ("{{list 1 2 | len}}", None), ("{{.List | index 1}}", D), ("{{printf}}", None), ("{{not}}", None), ("{{not 1 2}}", None),
  ("{{1 | not 2}}", None), ("{{len}}", None), ("{{(list 1 2).X}}", None), ("{{(dict \"a\" 1).a}}", None), ("{{(dict).a}}", None),
)
g("builtin_logic",
  ("{{and 1 2}}", None), ("{{and 0 2}}", None), ("{{and 1 \"\" 3}}", None), ("{{or 0 \"\" 5}}", None), ("{{or 0 \"\"}}", None),
  ("{{or .Nil .Name}}", D), ("{{and .T .Missing}}", D), ("{{or .Missing .Missing2}}", D), ("{{and}}", None), ("{{or 1}}", None),
  ("{{not 0}} {{not 1}} {{not .Nil}} {{not .List}}", D), ("{{and 1 (fail \"x\")}}", None), ("{{or 1 (fail \"x\")}}", None),
  ("{{and 0 (fail \"x\")}}", None), ("{{2 | and 1}}", None), ("{{0 | or 3}}", None), ("{{0 | and 3}}", None),
)
g("builtin_cmp",
  ("{{eq 1 1}} {{eq 1 2}} {{eq \"a\" \"a\"}} {{eq true false}}", None), ("{{eq 1 2 3 1}}", None), ("{{eq 1 1.0}}", None),
  ("{{eq 1.5 1.5}}", None), ("{{eq 1 1.5}}", None), ("{{eq \"1\" 1}}", None), ("{{eq .Nil .Nil}}", D), ("{{eq .Nil 1}}", D),
  ("{{eq .Missing nil}}", D), ("{{eq .List .List}}", D), ("{{eq .Map .List}}", D), ("{{eq 1}}", None), ("{{ne 1 2}} {{ne 1 1}}", None),
  ("{{ne 1 \"a\"}}", None), ("{{lt 1 2}} {{lt 2 1}} {{lt 1.5 2.5}} {{lt \"a\" \"b\"}}", None), ("{{lt 1 2.5}}", None),
  ("{{lt true false}}", None), ("{{lt .Nil 1}}", D), ("{{lt .List 1}}", D), ("{{le 2 2}} {{le 3 2}}", None), ("{{gt 3 2}} {{gt 2 3}}", None),
  ("{{ge 2 2}} {{ge 1 2}}", None), ("{{gt \"b\" \"a\"}}", None), ("{{ge 1 \"a\"}}", None), ("{{lt 1}}", None), ("{{lt 1 2 3}}", None),
  ("{{eq .Count 3}}", D), ("{{eq .Pi 3.14159}}", D), ("{{lt .Neg 0}}", D), ("{{eq (index .Mixed 3) nil}}", D),
  ("{{eq .Name \"web\" \"api\"}}", D), ("{{lt .Float 3}}", D), ("{{eq 'a' 97}}", None), ("{{le 1 1.0}}", None),
)
g("builtin_len_index_slice",
  ("{{len .List}} {{len .Map}} {{len .Name}} {{len \"h\u00e9\"}}", D), ("{{len .Count}}", D), ("{{len .Nil}}", D), ("{{len .Missing}}", D),
  ("{{len nil}}", None), ("{{index .List 0}} {{index .List 2}}", D), ("{{index .List 3}}", D), ("{{index .List 5}}", D),
  ("{{index .List -1}}", D), ("{{index .List \"a\"}}", D), ("{{index .Map \"b\"}}", D), ("{{index .Map \"zz\"}}", D),
  ("{{index .Map 1}}", D), ("{{index .Nested \"Arr\" 1 \"k\"}}", D), ("{{index .Name 1}}", D), ("{{index .Count 1}}", D),
  ("{{index .Nil 1}}", D), ("{{index .Mixed 3}}", D), ("{{index .Mixed 3 0}}", D), ("{{index .List}}", D), ("{{index .List nil}}", D),
  ("{{index .List 1.5}}", D), ("{{slice .List 1}}", D), ("{{slice .List 1 2}}", D), ("{{slice .List}}", D), ("{{slice .List 2 1}}", D),
  ("{{slice .Name 1 3}}", D), ("{{slice .Name 0 1 2}}", D), ("{{slice .List 0 1 2}}", D),
  ("{{slice .List 0 2 1}}", D), ("{{slice .Count 1}}", D), ("{{slice .Nil}}", D), ("{{slice .List 1 2 3 4}}", D),
  ("{{index (slice .Strs 1) 0}}", D), ("{{slice .List 3}}", D), ("{{index .Map nil}}", D),
)
g("builtin_escape",
  ("{{html \"<a href='x'>&\\\"</a>\"}}", None), ("{{html 1 2}}", None), ("{{html .Nil}}", D), ("{{html \"a\" nil 1}}", None),
  ("{{js \"it's <b> \\\"q\\\" & = \\\\ \\n \\u00e9 \\u2028\"}}", None), ("{{js 42}}", None), ("{{urlquery \"a b&c=d/é~._-\"}}", None),
  ("{{urlquery 1 \"x\"}}", None), ("{{.Name | html}}", D), ("{{print \"<\" | html | urlquery}}", None),
)
g("print",
  ("{{print}}", None), ("{{print 1 2}}", None), ("{{print \"a\" \"b\"}}", None), ("{{print 1 \"a\" 2}}", None), ("{{print \"a\" 1 2 \"b\"}}", None),
  ("{{print .List .Map}}", D), ("{{print nil}}", None), ("{{print .Nil 1}}", D), ("{{print .Missing}}", D), ("{{println 1 \"a\" 2}}", None),
  ("{{println}}", None), ("{{print 1.5 2.0 true}}", None), ("{{print .Mixed}}", D), ("{{print .Big .Huge .Half}}", D),
  ("{{print 1e6 1e-5 100000.5 0.0001}}", None), ("{{print -0.0}}", None), ("{{print .Nested}}", D),
)
g("printf",
  ('{{printf "%d" 42}}', None), ('{{printf "%5d|%-5d|%05d" 42 42 42}}', None), ('{{printf "%+d % d" 5 5}}', None), ('{{printf "%x %X %o %b" 255 255 8 5}}', None),
  ('{{printf "%#x %#o %#b" 255 8 5}}', None), ('{{printf "%c %q %U %#U" 65 66 9731 9731}}', None), ('{{printf "%08.3f" 3.14159}}', None),
  ('{{printf "%.2f %.0f %.0f %.0f" 2.345 0.5 1.5 2.5}}', None), ('{{printf "%e %E %.2e" 1234.5678 0.00012 9.999}}', None),
  ('{{printf "%g %G %.3g %.10g" 1234.5678 1e-7 1234.5678 1.0}}', None), ('{{printf "%f" 1e21}}', None), ('{{printf "%v %v" 1.0 0.1}}', None),
  ('{{printf "%s|%10s|%-10s|%.2s" "hello" "hi" "hi" "hello"}}', None), ('{{printf "%q %+q %#q" "a\\"b" "é" "back"}}', None),
  ('{{printf "%x % x %#x %X" "hi" "hi" "hi" "hi"}}', None), ('{{printf "%t %v" true false}}', None), ('{{printf "%d" "x"}}', None),
  ('{{printf "%s" 5}}', None), ('{{printf "%d"}}', None), ('{{printf "%d %d" 1}}', None), ('{{printf "%d" 1 2}}', None),
  ('{{printf "%d" 1 "a" nil}}', None), ('{{printf "%!"}}', None), ('{{printf "%"}}', None), ('{{printf "%z" 1}}', None),
  ('{{printf "100%%"}}', None), ('{{printf "%v" .List}}', D), ('{{printf "%d" .List}}', D), ('{{printf "%v" .Map}}', D),
  ('{{printf "%+v" .Nested}}', D), ('{{printf "%s" .Strs}}', D), ('{{printf "%v" nil}}', None), ('{{printf "%d" nil}}', None),
  ('{{printf "%T %T %T %T %T %T" 1 1.5 "s" true .List .Map}}', D), ('{{printf "%T" nil}}', None), ('{{printf "%*d" 5 1}}', None),
  ('{{printf "%-*d|" 4 1}}', None), ('{{printf "%.*f" 2 3.14159}}', None), ('{{printf "%[2]d %[1]d" 1 2}}', None), ('{{printf "%[3]d" 1}}', None),
  ('{{printf "%6.2f|%-8.3f|" 3.14159 2.5}}', None), ('{{printf "%+.1e" 12345.0}}', None), ('{{printf "%x" -255}}', None),
  ('{{printf 1}}', None), ('{{printf .Count}}', D), ('{{printf .Missing}}', D), ('{{printf nil}}', None), ('{{printf "%s" .Missing}}', D),
  ('{{printf "%v|%s|%d" .Nil .Nil .Nil}}', D), ('{{printf "%5.1f%%" 99.44}}', None), ('{{printf "%03d:%02d" 7 5}}', None),
  ('{{printf "%.3d" 7}}', None), ('{{printf "%.0d" 0}}', None), ('{{printf "%5t" true}}', None), ('{{printf "%05s" "ab"}}', None),
  ('{{printf "%c" 233}}', None), ('{{printf "%q" 10}}', None), ('{{printf "%v" 1e-7}}', None), ('{{printf "%g" 100000.0}}', None),
  ('{{printf "%g" 1000000.0}}', None), ('{{printf "%.2g" 0.000123}}', None), ('{{printf "% d|%+d" -3 -3}}', None),
  ('{{printf "%#v" "s"}}', None), ('{{printf "%8.3e" 1.0}}', None), ('{{printf "%-8d|" -42}}', None), ('{{printf "%+05d" 42}}', None),
  ('{{printf "%d %s" .Count .Name}}', D), ('{{printf "%s=%v" "k" .Mixed}}', D), ('{{printf "%.1f" 0.05}}', None), ('{{printf "%.1f" 0.25}}', None),
  ('{{printf "%.1f" 0.35}}', None), ('{{printf "%.3f" 1.0005}}', None), ('{{printf "%10.4v|" 3.14159}}', None), ('{{printf "%f" .Half}}', D),
)
g("funcs",
  ("{{upper \"abc\"}}", None), ("{{\"abc\" | upper}}", None), ("{{fail \"x\"}}", None), ("{{.Name | fail}}", D),
  ("x\ny {{ upper \"a\" | fail }}", None), ("{{list}}", None), ("{{list 1 \"a\" nil}}", None), ("{{dict \"b\" 1 \"a\" 2}}", None),
  ("{{add 1 2 3}}", None), ("{{add 1 \"x\"}}", None), ("{{nilfn}}", None), ("{{nilfn | printf \"%v\"}}", None), ("{{if nilfn}}y{{else}}n{{end}}", None),
  ("{{argc 1 2 3}}", None), ("{{argc}}", None), ("{{1 | argc 2}}", None), ("{{argc .Missing .Nil}}", D), ("{{nope 1}}", None),
  ("{{with list 1 2}}{{len .}}{{end}}", None), ("{{range list 3 2 1}}{{.}}{{end}}", None), ("{{range $k, $v := dict \"z\" 1 \"a\" 2}}{{$k}}{{$v}}{{end}}", None),
  ("{{index (list 1 (list 2 3)) 1 0}}", None), ("{{call .Name}}", D), ("{{call nil}}", None), ("{{call .Missing}}", D),
  ("{{upper}}", None), ("{{(fail \"in paren\")}}", None), ("\n\n\n   {{if fail \"deep\"}}{{end}}", None),
)
g("delims",
  ("<<.Name>> {{.Name}}", D, {"leftDelim": "<<", "rightDelim": ">>"}), ("[[- .Count -]] x", D, {"leftDelim": "[[", "rightDelim": "]]"}),
  ("<<if .T>>y<<end>>", D, {"leftDelim": "<<", "rightDelim": ">>"}), ("<<.Name", D, {"leftDelim": "<<", "rightDelim": ">>"}),
  ("<</* c */>>x", D, {"leftDelim": "<<", "rightDelim": ">>"}), ("{%.Name%}", D, {"leftDelim": "{%", "rightDelim": "%}"}),
)
g("parse_errors",
  ("{{.Name", None), ("{{.Name}", None), ("\n\n{{ .Name }", None), ("{{\"unterminated}}", None), ("{{`raw", None), ("{{'a}}", None),
  ("{{'ab'}}", None), ("{{/* open", None), ("{{/* x */ 1}}", None), ("{{3x}}", None), ("{{0x}}", None), ("{{1.2.3}}", None),
  ("{{99999999999999999999}}", None), ("{{.a$}}", None), ("{{#}}", None), ("{{:}}", None), ("{{$x :=}}", None), ("{{$x := 1 := 2}}", None),
  ("{{if .T}}\n\n{{else}}\n{{end}}\n{{end}}", D), ("a\nb\n{{range}}", None), ("{{with}}{{end}}", None), ("{{template}}", None),
  ("{{template 1}}", None), ("{{block \"x\"}}{{end}}", None), ("{{.Name\n\n", D), ("{{\n1\n}}", None), ("{{1\n}}\n{{.Name}", D),
  ("{{\"\\q\"}}", None), ("{{'\\q'}}", None), ("{{1 .X.}}", None), ("{{.X. }}", None), ("{{$.}}", None), ("{{true.X}}", None),
  ("{{1.X}}", None), ("{{.X.1}}", None), ("{{(.X}}", None), ("{{.X)}}", None), ("{{range .List}}{{else}}{{else}}{{end}}", D),
  ("{{if 1}}{{else if}}{{end}}", None), ("{{with 1}}{{else}}{{end}}{{end}}", None), ("text {{- /*c*/}}", None), ("{{- /* c */ -}}", None),
  ("{{/*c*/ -}}", None), ("{{ $x := 1 }}{{ $y }}", None), ("{{$x.y := 1}}", None), ("{{range $i, 1 := .}}{{end}}", None),
  ("{{\"x\" | \"y\"}}", None), ("{{1 | .}}", None), ("{{print | 1}}", None), ("{{else if 1}}", None), ("{{break 1}}", None),
  ("{{range .}}{{break 1}}{{end}}", None), ("{{3 = 4}}", None), ("{{.X = 4}}", None), ("{{1e}}", None), ("{{0b12}}", None),
  ("{{1__0}}", None), ("{{-}}", None), ("{{+}}", None), ("{{1+2}}", None), ("{{'\\''}}", None), ("{{\"\\u00zz\"}}", None),
)
g("exec_errors",
  ("a\nb\n  {{.Name.Foo}}", D), ("{{.List.X}}", D), ("{{index .List 9}}", D), ("\n{{len 3}}", None), ("{{template \"x\"}}", None),
  ("{{range .Name}}{{end}}", D), ("{{.Name 1 2}}", D), ("{{.Map.a 1}}", D), ("{{$x := 1}}{{$x.Y}}", None),
  ("{{with .Nested}}\n  {{.Inner.Deep.X}}{{end}}", D), ("{{range .Mixed}}{{.k}}{{end}}", D), ("{{printf \"%d\" (index .List 7)}}", D),
  ("{{if eq .Name 1}}x{{end}}", D), ("x{{lt .Name 3}}", D), ("{{$v := index .Mixed 3}}{{$v.X}}", D), ("{{.Nil.X.Y}}", D),
  ("{{(index .Mixed 3).X}}", D), ("{{(index .Map \"zz\").X}}", D), ("{{with .Mixed}}{{(index . 5).z.q}}{{end}}", D),
  ("{{range $e := .Mixed}}{{$e.z}}{{end}}", D), ("{{printf \"%s\" 1 | len}}", None), ("{{1 | len 2}}", None),
  ("{{\"a string that is quite long\" | fail}}", None), ("{{$x := 1}}{{$x 1}}", None), ("{{range 1.5}}{{end}}", None),
  ("{{.Count.Bad.Worse}}", D), ("{{index .Strs 1 2}}", D),
)
g("whitespace_misc",
  ("{{ .Name }}", D), ("{{\t.Name\n}}", D), ("a {{ if .T -}} \n b \n {{- end }} c", D), ("{{ range .List }} {{.}} {{ end }}", D),
  ("{{range .List -}}\n{{.}}\n{{end -}}", D), ("{{.Name}}{{/* c */}}{{.Count}}", D), ("{{- .Name}}", D), ("{{.Name -}}", D),
  ("{{\"}}\"}}", None), ("{{`{{`}}", None), ("{{print \"a\"}}{{print \"b\"}}", None),
)

SVC = {"Services": [{"Name": "api", "Address": "10.0.0.1", "Port": 8080, "Tags": ["v1", "blue"]},
                     {"Name": "db", "Address": "10.0.0.2", "Port": 5432, "Tags": []}],
       "Env": {"NOMAD_ALLOC_ID": "abc-123", "PORT": "8080"}, "Secret": {"Data": {"data": {"password": "s3cr3t", "user": "admin"}}},
       "Weights": {"a": 0.25, "b": 1.5}}
g("realistic",
  ("upstream backend {\n{{- range .Services }}\n  server {{ .Address }}:{{ .Port }};\n{{- end }}\n}\n", SVC),
  ("{{ with .Secret.Data.data }}DB_USER={{ .user }}\nDB_PASS={{ .password }}{{ end }}\n", SVC),
  ("{{ range $i, $s := .Services }}{{ if $i }},{{ end }}{{ $s.Name }}{{ end }}", SVC),
  ("{{ range .Services }}{{ .Name }}:{{ range .Tags }} #{{ . }}{{ else }} (no tags){{ end }}\n{{ end }}", SVC),
  ("ALLOC={{ .Env.NOMAD_ALLOC_ID }}\n{{- if .Env.MISSING }}\nX=1\n{{- end }}\nPORT={{ .Env.PORT }}", SVC),
  ("{{ range $k, $v := .Weights }}{{ $k }}={{ printf \"%.2f\" $v }} {{ end }}", SVC),
  ("{{ define \"svc\" }}{{ .Name }}@{{ .Address }}{{ end }}{{ range .Services }}{{ template \"svc\" . }};{{ end }}", SVC),
  ("{{ $first := index .Services 0 }}{{ $first.Name | printf \"%-6s|\" }}{{ len $first.Tags }}", SVC),
  ("{{ range .Services }}{{ if and (gt .Port 1024) (lt .Port 9000) }}{{ .Name }} {{ end }}{{ end }}", SVC),
  ("{{ range .Services }}{{ if eq .Name \"api\" \"web\" }}{{ .Port }}{{ end }}{{ end }}", SVC),
  ("{{/* header */ -}}\n# generated\n{{ range .Services -}}\n{{ .Name }}\n{{ end -}}\n# end", SVC),
  ("{{ with index .Services 1 }}{{ with .Tags }}tags{{ else }}{{ .Name }} has none{{ end }}{{ end }}", SVC),
  ("{{ .Secret.Data.data.password | len }}", SVC), ("{{ .Secret.Data.missing.password }}", SVC),
  ("{{ .Secret.Data.missing.password }}", SVC, {"missingKey": "error"}),
  ("{{ range .Services }}\n  {{ .Nope.X }}{{ end }}", SVC),
  ('{{ define "a" }}\n  line2 {{ .Missing.X }}\n  {{ template "b" . }}{{ end }}{{ define "b" }}\n\n{{ .Port.X }}{{ end }}{{ template "a" (index .Services 0) }}', SVC),
  ('{{ define "a" }}{{ template "b" .Services }}{{ end }}{{ define "b" }}{{ range . }}{{ .Name }}{{ $.Nope }}{{ end }}{{ end }}{{ template "a" . }}', SVC),
  ("{{ $n := 0 }}{{ range .Services }}{{ $n = add $n .Port }}{{ end }}{{ $n }}", SVC),
  ("{{ $s := .Services }}{{ range $s }}{{ $s | len }}{{ end }}", SVC),
  ("{{ range $i, $_ := .Services }}{{ $i }}{{ end }}", SVC),
  ("{{ printf \"%s:%d\" (index .Services 0).Address (index .Services 0).Port }}", SVC),
  ("{{ (index .Services 0).Tags | len }} {{ index (index .Services 0).Tags 1 }}", SVC),
  ("{{ range .Services }}{{ .Name | printf \"%q\" | printf \"%s!\" }}{{ end }}", SVC),
  ("{{ if not .Env }}empty{{ else }}{{ len .Env }}{{ end }}", SVC),
  ("{{ with $x := .Env.PORT }}{{ $x }}{{ end }}{{ with $y := .Env.NONE }}{{ $y }}{{ else }}none{{ end }}", SVC),
  ("{{ .Env.PORT | printf \"%s\" | len }} {{ print .Env.PORT 1 }}", SVC),
  ("{{range .Services}}{{.Port | printf \"%06d\"}} {{end}}", SVC),
  ("{{- range .Services }}\n{{ .Name }}\n{{- end }}", SVC),
  ("{{ urlquery .Env.NOMAD_ALLOC_ID \"a b\" }} {{ js \"x'y\" }} {{ html \"<x>\" }}", SVC),
)
g("tricky",
  ("{{$x := 1}}{{range $x := .List}}{{$x}}{{end}}{{$x}}", D), ("{{$x := 0}}{{with $x := 5}}{{$x}}{{end}}{{$x}}", None),
  ("{{range .List}}{{$i := .}}{{end}}{{$i}}", D), ("{{$ := 1}}", None), ("{{$ = 1}}{{$}}", None), ("{{$.}}", D),
  ("{{ . | printf \"%v\" }}", {"a": [1, {"b": None}]}), ("{{ printf \"%v\" . }}", [None, [], {}]), ("{{.}}", [[1, 2], [3]]),
  ("{{ index . 0 1 }}", [[1, 2], [3]]), ("{{ index . 1 1 }}", [[1, 2], [3]]), ("{{ len (index . 0) }}", [[1, 2], [3]]),
  ("{{ .a.b.c }}", {"a": {"b": {"c": None}}}), ("{{ .a.b.c.d }}", {"a": {"b": {"c": None}}}), ("{{ .a.b.c.d }}", {"a": {"b": {}}}),
  ("{{ if .a.b.c }}y{{ else }}n{{ end }}", {"a": {"b": {"c": 0}}}), ("{{ with .a }}{{ .b }}{{ end }}", {"a": {"b": "x"}}),
  ("{{ range . }}{{ . }}{{ end }}", [0, 0.5, -1, 1e-9, 123456789012]), ("{{ . }}", 1.0e-320),
  ("{{ print 1 }}{{ print \"\" }}{{ print \"\" 1 }}{{ print 1 \"\" }}", None), ("{{ println \"a\" \"b\" }}", None),
  ("{{ \"a\" }}{{ 'b' }}{{ `c` }}", None), ("{{ print '\\u263a' }} {{ printf \"%c\" '\\u263a' }}", None),
  ("{{ 0x10 | printf \"%d\" }} {{ -0x10 }} {{ 1_000_000 }}", None), ("{{ 1e2 | printf \"%T %v\" 1e2 }}", None),
  ("{{ printf \"%T\" 0x10 }} {{ printf \"%T\" 1.0 }} {{ printf \"%T\" 'a' }}", None), ("{{ 0x1.8p1 }}", None),
  ("{{ if eq . \"\" }}empty{{ end }}", ""), ("{{ if . }}t{{ else }}f{{ end }}", [None]), ("{{ len . }}", {"": 1}),
  ("{{ range $k, $v := . }}[{{ $k }}]{{ end }}", {"": 1, " ": 2, "a": 3, "A": 4, "0": 5}),
  ("{{ slice \"héllo\" 1 3 }}", None), ("{{ index \"héllo\" 1 }}", None), ("{{ len \"héllo\" }}", None),
  ("{{ printf \"%5s|%-5s|%.1s\" \"é\" \"é\" \"éa\" }}", None), ("{{ printf \"%x\" \"é\" }}", None), ("{{ printf \"%q\" \"\\u00e9\\u0000\\t\" }}", None),
  ("{{ printf \"%+q\" \"é\" }}", None), ("{{ js \"\\u0001\\u007f\\u00a0\" }}", None), ("{{ html \"\\u0000\" }}", None),
)

g("parse_errors2",
  ("{{if .T}}\nx\n", D), ("{{range .List}}\n\n{{else}}\n", D), ('{{define "a"}}\nx\n', None), ("{{with .X}}{{else}}", None),
  ("{{.X\n\n.Y", None), ("{{\n\"abc\n\"}}", None), ("{{`a\nb`}}", None), ("{{ 'x\n' }}", None), ("{{/*\n\n*/ x}}", None),
  ("a\n{{ (1\n2 }}", None), ("{{ ) }}", None), ("{{ 1 ) }}", None), ("line\n{{ print (\n1) }}", None), ("{{ print (1\n) }}", None),
  ("{{ $x := 1\n}}{{ $x }}", None), ("{{ if\n.T\n}}y{{ end }}", D), ("{{ end\n}}", None), ("{{ else\nx }}", None),
  ('{{ template "a" }}\n{{ define "a" }}{{ end }}', None), ('{{ block "x" }}', None), ('{{ block "x" . }}', None),
  ('{{ block "x" . }}{{ else }}{{ end }}', None), ('{{ define "x" }}{{ else }}{{ end }}', None), ("{{ range $i, $e := . }}{{ end }}{{ $e }}", None),
  ("{{ $x := 1 }}{{ define \"a\" }}{{ $x }}{{ end }}", None), ("{{ if 1 }}{{ $x := 1 }}{{ end }}{{ $x }}", None),
  ("{{ .X | }}", None), ("{{ | }}", None), ("{{ .X || .Y }}", None), ("{{ $x := }}", None), ("{{ $x = }}", None),
  ("{{ $x $y := 1 }}", None), ("{{ $x, $y := 1 }}", None), ("{{ range $x, $y, := . }}{{ end }}", None), ("{{ range $x, := . }}{{ end }}", None),
  ("{{ 1 2 | 3 }}", None), ("{{ .X 1 | .Y }}", None), ("{{ true | not }}", None), ("{{ \"a\" \"b\" }}", None),
  ("x{{", None), ("x{{-", None), ("x{{- ", None), ("{{ 1 -}", None), ("{{ 1 - }}", None), ("{{ -}}", None), ("{{-}}", None),
  ("{{- -}}", None), ("{{ /* x */ }}", None), ("{{/* x */}}{{/* y", None), ("{{ .Name }}}", D), ("{{{ .Name }}", D),
  ("{{ @ }}", None), ("{{ é }}", None), ("{{ .é }}", {"é": 1}), ("{{ $é := 1 }}{{ $é }}", None), ("{{ \u00a0 }}", None),
)
g("exec_errors2",
  ("{{ template \"a\" .Nope.X }}", {"Nope": 1}), ('{{ define "a" }}{{ .X }}{{ end }}{{ template "a" 5 }}', None),
  ('{{ define "a" }}{{ index . 5 }}{{ end }}\n{{ template "a" .List }}', D), ("{{ range .List }}\n{{ index $.List . }}{{ end }}", D),
  ("{{ with .Map }}{{ .a.b }}{{ end }}", D), ("{{ .Map.a.b }}", D), ("{{ $m := .Map }}{{ $m.a.b }}", D), ("{{ (.Map).a.b }}", D),
  ("{{ (.Map.a).b }}", D), ("{{ (index .Map \"a\").b }}", D), ("{{ range .Map }}{{ .b }}{{ end }}", D),
  ("{{ printf \"%d\" (len .Nope) }}", D), ("{{ slice .Name 4 2 }}", D), ("{{ not .List 1 }}", D), ("{{ .List | not 1 }}", D),
  ("{{ eq .List 1 }}", D), ("{{ eq 1 .List }}", D), ("{{ eq .Nil .List }}", D), ("{{ ne .Map .Map }}", D), ("{{ lt .Map .Map }}", D),
  ("{{ gt nil 1 }}", None), ("{{ le 1 nil }}", None), ("{{ eq nil nil }}", None), ("{{ ne nil 1 }}", None),
  ("{{ call .List }}", D), ("{{ call 1 }}", None), ("{{ html .Nope.X }}", {"Nope": None}), ("{{ len 1.5 }}", None), ("{{ len true }}", None),
  ("{{ index 1 1 }}", None), ("{{ index .Map \"a\" \"b\" }}", D), ("{{ slice .Map 1 }}", D), ("{{ slice .List \"a\" }}", D),
  ("{{ printf \"%s\" .List.X }}", D), ("{{ printf .List }}", D), ("{{ printf (list 1) }}", None), ("{{ printf true }}", None),
  ("{{ printf 1.5 }}", None), ("{{ printf .Name .Name }}", D), ("{{ .Name | printf }}", D), ("{{ 3 | printf }}", None),
)

g("numbers",
  ("{{ 9223372036854775807 }}", None), ("{{ 9223372036854775808 }}", None), ("{{ -9223372036854775808 }}", None),
  ("{{ 18446744073709551615 }}", None), ("{{ 18446744073709551616 }}", None), ("{{ 1e400 }}", None), ("{{ 1e-400 }}", None),
  ("{{ 0.1 }} {{ 0.2 }} {{ 1.23456789012345678 }}", None), ("{{ 1e20 }} {{ 1e21 }} {{ 123456.0 }} {{ 1234567.0 }}", None),
  ("{{ -1.5 }} {{ -0.000001 }} {{ 100. }}", None), ("{{ 0X1F }} {{ 0B11 }} {{ 0O7 }} {{ 0_7 }}", None), ("{{ 1_2.3_4 }}", None),
  ("{{ 0x_1 }}", None), ("{{ 1_ }}", None), ("{{ 08 }}", None), ("{{ 08.5 }}", None), ("{{ 1i }} {{ 0i }} {{ 1+2i }} {{ -1.5-0.5i }}", None), ("{{ printf \"%v|%.2f|%+g|%d\" 1i 1+2i 3i 1i }}", None),
  ("{{ eq 1i 1i }} {{ eq 1i 2i }} {{ if 0i }}t{{ else }}f{{ end }}", None), ("{{ lt 1i 2i }}", None), ("{{ eq 1i 1 }}", None), ("{{ printf \"%T\" 1i }}", None),
  ("{{ '\\x41' }} {{ '\\101' }} {{ '\\u00e9' }} {{ '\\U0001F600' }}", None), ("{{ '' }}", None), ("{{ 'é' }}", None),
  ("{{ printf \"%d %d\" 'a' 0x7fffffff }}", None), ("{{ printf \"%v\" 1e-310 }}", None), ("{{ printf \"%.20f\" 0.1 }}", None),
  ("{{ printf \"%.3g|%.3e|%.3f\" 0.0 0.0 0.0 }}", None), ("{{ printf \"%g|%e|%f\" -0.0 -0.0 -0.0 }}", None),
  ("{{ printf \"%6.2f|%-8.2e|%+g\" -1.0 -1.0 1.0 }}", None), ("{{ printf \"%010.3f|%-010.3f|\" -3.14159 3.14159 }}", None),
  ("{{ printf \"% .2f|% d|%+ d\" 1.5 5 5 }}", None), ("{{ printf \"%#g|%#.3g|%#e|%#.0f\" 1.0 2.0 3.0 4.0 }}", None),
  ("{{ printf \"%.15g|%.17g\" 0.1 0.1 }}", None), ("{{ printf \"%g|%g\" 1e-4 1e-5 }}", None), ("{{ printf \"%.0e\" 15.0 }}", None),
  ("{{ printf \"%.1f|%.1f|%.1f|%.1f\" 0.45 0.55 1.45 2.675 }}", None), ("{{ printf \"%5.1f|%5.0f\" 9.96 0.5 }}", None),
  ("{{ printf \"%d|%5d|%-5d|%x\" .Neg .Neg .Neg .Neg }}", D), ("{{ printf \"%o|%O|%#o|%b\" 64 64 64 -5 }}", None),
  ("{{ printf \"%U|%#U|%c|%q\" 0x1F600 0x1F600 0x1F600 0x1F600 }}", None), ("{{ printf \"%c|%q|%U\" -1 -1 -1 }}", None),
  ("{{ printf \"%08.3d|%.0d|%5.0d|\" 42 0 0 }}", None), ("{{ printf \"%x|%X|%#X\" 3.5 \"Az\" \"Az\" }}", None),
  ("{{ printf \"%s|%v|%d\" .Map .Map .Map }}", D), ("{{ printf \"%q\" .Strs }}", D), ("{{ printf \"%x\" .Strs }}", D),
  ("{{ printf \"%5v|%-5v|\" .List .Strs }}", D), ("{{ printf \"%05d\" .List }}", D), ("{{ printf \"%t\" .List }}", D),
  ("{{ printf \"%v\" .Mixed }}", D), ("{{ printf \"%+v\" .Mixed }}", D), ("{{ printf \"%s\" .Mixed }}", D),
  ("{{ printf \"%.2v\" \"hello\" }}", None), ("{{ printf \"%.2v\" 3.14159 }}", None), ("{{ printf \"%10.3v|\" \"hello\" }}", None),
  ("{{ printf \"%[1]d %[1]x %[1]o\" 64 }}", None), ("{{ printf \"%[2]*[1]d|\" 12 5 }}", None), ("{{ printf \"%[0]d\" 1 }}", None),
  ("{{ printf \"%[x]d\" 1 }}", None), ("{{ printf \"%[1]d %d\" 1 2 }}", None), ("{{ printf \"%*d\" \"x\" 1 }}", None),
  ("{{ printf \"%.*d\" -1 5 }}", None), ("{{ printf \"%-*d|\" -3 5 }}", None), ("{{ printf \"%.\" 1 }}", None), ("{{ printf \"%.d\" 5 }}", None),
  ("{{ printf \"%!\" 1 }}", None), ("{{ printf \"%x|%X|%.2x|%b|%x|%x\" 1.0 0.1 3.14159 1.5 0.0 -2.5 }}", None), ("{{ printf \"%é\" 1 }}", None), ("{{ printf \"%v %v\" }}", None), ("{{ printf \"%s\" nil 1 }}", None),
)

# A grid of printf verbs, flags and values (fmt is where most of the detail is).
_vals = ['0', '-42', '255', '3.0', '-2.5', '0.000123', '123456.789', '"héllo"', '""', 'true', 'nil', '.List', '.Map', '.Strs']
_fmts = ['%v', '%d', '%s', '%q', '%x', '%6.2f', '%-8v|', '%+v', '%08.3g', '%e', '%#x', '% x', '%5.1s|', '%t', '%c', '%-+6d|', '%#v']
g("printf_grid", *[("{{printf `" + f + "` " + v + "}}", D) for f in _fmts for v in _vals])

# Comparisons and truth across value kinds.
_cv = ['1', '2', '1.5', '2.0', '"a"', '"b"', 'true', 'nil', '.Nil', '.List', '.Missing', "'a'"]
g("cmp_grid", *[("{{" + op + " " + a + " " + b + "}}", D) for op in ['eq', 'lt', 'ge'] for a in _cv for b in _cv[::2]])
g("truth_grid", *[("{{if " + v + "}}T{{else}}F{{end}} {{not " + v + "}} {{and " + v + " 7}} {{or " + v + " 7}}", D)
                  for v in ['.Name', '.Empty', '.Zero', '.Count', '.Pi', '.Half', '.T', '.F', '.List', '.EmptyList', '.Map', '.EmptyMap', '.Nil', '.Missing', '0.0', '-1', '.Nested.Inner', '(index .Mixed 3)']])
g("len_index_grid", *[("{{" + f + " " + v + extra_arg + "}}", D) for f, extra_arg in [("len", ""), ("index", " 0"), ("slice", " 1"), ("index", " \"a\"")]
                     for v in ['.Name', '.Count', '.Pi', '.T', '.List', '.EmptyList', '.Map', '.Nil', '.Missing', '(index .Mixed 3)', '.Nested']])

# Go >= 1.22/1.23 behaviour; expectations written by hand from Go's documentation.
hand = [
  ("range_int", "{{range 3}}{{.}}{{end}}", None, {"output": "012"}, "1.22"),
  ("range_int_var", "{{range $i := 4}}{{$i}},{{end}}", None, {"output": "0,1,2,3,"}, "1.22"),
  ("range_int_zero_else", "{{range 0}}x{{else}}none{{end}}", None, {"output": "none"}, "1.22"),
  ("range_int_field", "{{range .Count}}*{{end}}", D, {"output": "***"}, "1.22"),
  ("range_int_break", "{{range 10}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}", None, {"output": "012"}, "1.22"),
  ("range_int_two_vars", "{{range $i, $e := 3}}{{end}}", None,
   {"error": "template: app.tpl:1:18: executing \"app.tpl\" at <3>: can't use 3 to iterate over more than one variable"}, "1.22"),
  ("range_int_negative", "{{range -2}}x{{else}}neg{{end}}", None, {"output": "neg"}, "1.22"),
  ("else_with", "{{with .Missing}}a{{else with .Name}}b{{.}}{{else}}c{{end}}", D, {"output": "bweb"}, "1.23"),
  ("else_with_else", "{{with .Missing}}a{{else with .Empty}}b{{else}}c{{end}}", D, {"output": "c"}, "1.23"),
  ("range_assign", "{{$i := 0}}{{$e := 0}}{{range $i, $e = .List}}{{end}}{{$i}}{{$e}}", D, {"output": "23"}, "1.22"),
]

cases = []
for gname, items in groups.items():
    for i, c in enumerate(items):
        tpl, data = c[0], c[1]
        opts = c[2] if len(c) > 2 else {}
        case = {"name": f"{gname}/{i:03d}", "template": tpl, "data": data}
        case.update(opts)
        cases.append(case)
for name, tpl, data, expect, ver in hand:
    cases.append({"name": "go" + ver.replace(".", "") + "/" + name, "template": tpl, "data": data, "goVersion": ver, "expect": expect})
with open("cases.json", "w") as f:
    json.dump(cases, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(len(cases), "cases")
