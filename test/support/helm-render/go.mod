module cnmcp.dev/helm-render

go 1.19

require (
	github.com/Masterminds/sprig/v3 v3.2.3
	gopkg.in/yaml.v3 v3.0.1
)

// Offline build from Debian's Go library packages (golang-github-masterminds-sprig-dev, golang-gopkg-yaml.v3-dev),
// never from the network. Debian ships goutils without a go.mod: helm-render.ts copies its sources into
// ./third_party/goutils of the build directory. The modules under ./stub only appear in the module graph (test
// dependencies of sprig's dependencies); no package of theirs is compiled, so a go.mod is all they need.
replace (
	github.com/Masterminds/goutils => ./third_party/goutils
	github.com/Masterminds/semver/v3 => /usr/share/gocode/src/github.com/Masterminds/semver
	github.com/Masterminds/sprig/v3 => /usr/share/gocode/src/github.com/Masterminds/sprig
	github.com/google/uuid => /usr/share/gocode/src/github.com/google/uuid
	github.com/huandu/xstrings => /usr/share/gocode/src/github.com/huandu/xstrings
	github.com/imdario/mergo => /usr/share/gocode/src/github.com/imdario/mergo
	github.com/mitchellh/copystructure => /usr/share/gocode/src/github.com/mitchellh/copystructure
	github.com/mitchellh/reflectwalk => /usr/share/gocode/src/github.com/mitchellh/reflectwalk
	github.com/shopspring/decimal => /usr/share/gocode/src/github.com/shopspring/decimal
	github.com/spf13/cast => /usr/share/gocode/src/github.com/spf13/cast
	github.com/stretchr/objx => /usr/share/gocode/src/github.com/stretchr/objx
	github.com/stretchr/testify => /usr/share/gocode/src/github.com/stretchr/testify
	golang.org/x/crypto => /usr/share/gocode/src/golang.org/x/crypto
	golang.org/x/net => /usr/share/gocode/src/golang.org/x/net
	golang.org/x/sys => /usr/share/gocode/src/golang.org/x/sys
	golang.org/x/term => /usr/share/gocode/src/golang.org/x/term
	golang.org/x/text => /usr/share/gocode/src/golang.org/x/text
	gopkg.in/yaml.v2 => /usr/share/gocode/src/gopkg.in/yaml.v2
	gopkg.in/yaml.v3 => /usr/share/gocode/src/gopkg.in/yaml.v3
	github.com/davecgh/go-spew => ./stub/github.com_davecgh_go-spew
	github.com/frankban/quicktest => ./stub/github.com_frankban_quicktest
	github.com/google/go-cmp => ./stub/github.com_google_go-cmp
	github.com/kr/pretty => ./stub/github.com_kr_pretty
	github.com/kr/text => ./stub/github.com_kr_text
	github.com/pmezard/go-difflib => ./stub/github.com_pmezard_go-difflib
	github.com/rogpeppe/go-internal => ./stub/github.com_rogpeppe_go-internal
	golang.org/x/mod => ./stub/golang.org_x_mod
	golang.org/x/tools => ./stub/golang.org_x_tools
	golang.org/x/xerrors => ./stub/golang.org_x_xerrors
	gopkg.in/check.v1 => ./stub/gopkg.in_check.v1
)
