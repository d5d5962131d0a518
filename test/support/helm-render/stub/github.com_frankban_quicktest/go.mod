module github.com/frankban/quicktest
