module github.com/kr/text
