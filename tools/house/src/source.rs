//! A Rust source file as the checks read it: code with comments blanked, string literals
//! set apart, and test code (`#[cfg(test)]` items) removed. Blanking keeps every line
//! where it was, so a finding can name its line.
//!
//! This is a lexer, not a parser: enough of Rust's tokens (comments, nested block
//! comments, strings, raw strings, byte strings, character literals and lifetimes) to
//! never mistake text for code. Written here because the checks need nothing more and
//! `make lint` should not wait for a compiler front end to build.

/// A string literal's text and the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    pub line: usize,
    pub text: String,
}

#[derive(Clone, Debug)]
pub struct Source {
    /// The code, with comments and the insides of string and character literals blanked
    /// (each literal becomes `""` or `' '`), test items blanked too.
    pub code: String,
    /// The string literals outside test code.
    pub literals: Vec<Literal>,
    /// Lines outside test code (comments count: they are part of the idea).
    pub lines: usize,
}

impl Source {
    pub fn read(text: &str) -> Source {
        let (code, literals) = blank_comments_and_literals(text);
        let (code, test_lines) = blank_test_items(&code);
        let lines = text.lines().count().saturating_sub(test_lines);
        let test_lines: Vec<bool> = lines_blanked(&code, text);
        let literals = literals
            .into_iter()
            .filter(|literal| !test_lines.get(literal.line - 1).copied().unwrap_or(false))
            .collect();
        Source {
            code,
            literals,
            lines,
        }
    }

    /// The code's lines, numbered from 1.
    pub fn lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.code.lines().enumerate().map(|(i, line)| (i + 1, line))
    }
}

/// Which lines of the original held code that is blank now (test items).
fn lines_blanked(code: &str, text: &str) -> Vec<bool> {
    code.lines()
        .zip(text.lines())
        .map(|(code, text)| code.trim().is_empty() && !text.trim().is_empty())
        .collect()
}

fn blank_comments_and_literals(text: &str) -> (String, Vec<Literal>) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut literals = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Keeps newlines (so lines stay numbered) and blanks everything else.
    let blank = |c: char, out: &mut String, line: &mut usize| {
        if c == '\n' {
            *line += 1;
            out.push('\n');
        } else {
            out.push(' ');
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(chars[i], &mut out, &mut line);
                    i += 1;
                }
            }
        } else if let Some((hashes, start)) = raw_string_start(&chars, i) {
            // r"…", r#"…"#, br#"…"#: no escapes, ends at a quote and as many hashes.
            let literal_line = line;
            out.push_str("\"\"");
            for _ in i + 2..start {
                out.push(' ');
            }
            i = start;
            let mut content = String::new();
            while i < chars.len() {
                if chars[i] == '"'
                    && chars[i + 1..].iter().take(hashes).filter(|&&h| h == '#').count() == hashes
                {
                    for _ in 0..=hashes {
                        out.push(' ');
                    }
                    i += 1 + hashes;
                    break;
                }
                content.push(chars[i]);
                blank(chars[i], &mut out, &mut line);
                i += 1;
            }
            literals.push(Literal {
                line: literal_line,
                text: content,
            });
        } else if c == '"' || (c == 'b' && next == Some('"') && !ident_before(&chars, i)) {
            let literal_line = line;
            if c == 'b' {
                out.push(' ');
                i += 1;
            }
            out.push('"');
            i += 1;
            let mut content = String::new();
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    content.push(chars[i]);
                    content.push(chars[i + 1]);
                    blank(chars[i], &mut out, &mut line);
                    blank(chars[i + 1], &mut out, &mut line);
                    i += 2;
                } else {
                    content.push(chars[i]);
                    blank(chars[i], &mut out, &mut line);
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
            literals.push(Literal {
                line: literal_line,
                text: content,
            });
        } else if c == '\'' {
            // A character literal ('x', '\n', '\'', '\u{1F600}'), or a lifetime ('a).
            match char_literal_end(&chars, i) {
                Some(end) => {
                    out.push('\'');
                    for _ in i + 1..end {
                        out.push(' ');
                    }
                    out.push('\'');
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            if c == '\n' {
                line += 1;
            }
            out.push(c);
            i += 1;
        }
    }
    (out, literals)
}

/// Whether the character before `i` continues an identifier (so `b"` is not a byte string).
fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// At `r"`, `r#"`, `br"`, `br#"`: the number of hashes and where the content starts.
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    if ident_before(chars, i) {
        return None;
    }
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (chars.get(j) == Some(&'"')).then_some((hashes, j + 1))
}

/// Where the closing quote of a character literal opening at `i` is, if it is one.
fn char_literal_end(chars: &[char], i: usize) -> Option<usize> {
    match chars.get(i + 1)? {
        '\\' => {
            let mut j = i + 2;
            if chars.get(j) == Some(&'u') {
                while j < chars.len() && chars[j] != '}' {
                    j += 1;
                }
            }
            j += 1;
            (chars.get(j) == Some(&'\'')).then_some(j)
        }
        '\'' => None,
        _ => (chars.get(i + 2) == Some(&'\'')).then_some(i + 2),
    }
}

/// Blanks every item marked `#[cfg(test)]`: up to its `;`, or through its `{…}` block.
/// Also says how many lines those items took.
fn blank_test_items(code: &str) -> (String, usize) {
    let mut test_lines = 0;
    let mut chars: Vec<char> = code.chars().collect();
    let marker: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i + marker.len() <= chars.len() {
        if chars[i..i + marker.len()] != marker[..] {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + marker.len();
        let mut depth = 0;
        while j < chars.len() {
            match chars[j] {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ';' if depth == 0 => break,
                _ => {}
            }
            j += 1;
        }
        let end = (j + 1).min(chars.len());
        test_lines += chars[start..end].iter().filter(|&&c| c == '\n').count() + 1;
        for c in &mut chars[start..end] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        i = j + 1;
    }
    (chars.into_iter().collect(), test_lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_literals_are_blanked_and_lines_kept() {
        let text = "let a = \"x // y\"; // Role::Admin\n/* Role::Police /* nested */ */ let b = 'c';\nlet r = r#\"say \"hi\"\"#;\nfn f<'a>(x: &'a str) {}\n";
        let source = Source::read(text);
        assert_eq!(source.code.lines().count(), text.lines().count());
        assert!(!source.code.contains("Role"), "{}", source.code);
        assert!(source.code.contains("fn f<'a>(x: &'a str)"), "{}", source.code);
        let texts: Vec<&str> = source.literals.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["x // y", "say \"hi\""]);
        assert_eq!(source.literals[1].line, 3);
    }

    #[test]
    fn test_items_are_left_out() {
        let text = "use a::b;\n#[cfg(test)]\nmod tests {\n    use super::*;\n    const S: &str = \"admin\";\n}\nfn g() {}\n";
        let source = Source::read(text);
        assert!(!source.code.contains("super"), "{}", source.code);
        assert!(source.code.contains("fn g()"));
        assert!(source.literals.is_empty(), "{:?}", source.literals);
        assert_eq!(source.lines, 2, "the use and the function");
    }
}
