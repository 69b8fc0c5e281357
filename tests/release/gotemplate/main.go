// Renders an Ollama TEMPLATE with Go's text/template the way Ollama's server does
// (template/template.go Execute + collate; server/routes.go default SYSTEM injection), so a
// test can compare it byte for byte with the tokenizer's apply_chat_template. Reads JSON on stdin:
// {"template", "system", "messages": [{"role","content"}], "prompt", "suffix"}; writes the text.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"
)

type ToolCall struct {
	Function struct {
		Name      string
		Arguments map[string]any
	}
}

type Message struct {
	Role      string     `json:"role"`
	Content   string     `json:"content"`
	ToolCalls []ToolCall `json:"-"`
}

type Tool struct{ Function any }

type Input struct {
	Template string    `json:"template"`
	System   string    `json:"system"`
	Messages []Message `json:"messages"`
	Prompt   string    `json:"prompt"`
	Suffix   string    `json:"suffix"`
}

func collate(msgs []Message) (string, []*Message) {
	var system []string
	var collated []*Message
	for i := range msgs {
		if msgs[i].Role == "system" {
			system = append(system, msgs[i].Content)
		}
		if len(collated) > 0 && collated[len(collated)-1].Role == msgs[i].Role && msgs[i].Role != "tool" {
			collated[len(collated)-1].Content += "\n\n" + msgs[i].Content
		} else {
			collated = append(collated, &msgs[i])
		}
	}
	return strings.Join(system, "\n\n"), collated
}

func main() {
	var in Input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	funcs := template.FuncMap{"json": func(v any) string { b, _ := json.Marshal(v); return string(b) }}
	tmpl, err := template.New("").Option("missingkey=zero").Funcs(funcs).Parse(in.Template)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var values map[string]any
	if in.Prompt != "" && in.Suffix != "" {
		values = map[string]any{"Prompt": in.Prompt, "Suffix": in.Suffix, "Response": ""}
	} else {
		msgs := in.Messages
		hasSystem := false
		for _, m := range msgs {
			hasSystem = hasSystem || m.Role == "system"
		}
		if in.System != "" && !hasSystem {
			msgs = append([]Message{{Role: "system", Content: in.System}}, msgs...)
		}
		system, collated := collate(msgs)
		values = map[string]any{"System": system, "Messages": collated, "Tools": []Tool(nil), "Response": ""}
	}
	if err := tmpl.Execute(os.Stdout, values); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
