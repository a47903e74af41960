package main

import (
	"flag"
	"fmt"

	"decisionflow/api"
)

// openapi runs `decisionflow openapi`: it prints the API's OpenAPI document, every route the
// API can serve, without starting a server (CI lints it; apiclient is generated from it).
func (m *Main) openapi(args []string) error {
	fs := flag.NewFlagSet("decisionflow openapi", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: decisionflow openapi > openapi.json\n\n打印接口的 OpenAPI 文档，无需启动服务 / print the API's OpenAPI document without starting a server")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	doc, err := api.Document()
	if err != nil {
		return err
	}
	_, err = m.Stdout.Write(doc)
	return err
}
