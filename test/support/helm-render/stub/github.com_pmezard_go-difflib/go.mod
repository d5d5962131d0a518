module github.com/pmezard/go-difflib
