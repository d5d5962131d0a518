module golang.org/x/xerrors
