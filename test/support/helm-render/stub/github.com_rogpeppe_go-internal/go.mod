module github.com/rogpeppe/go-internal
