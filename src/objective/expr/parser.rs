//! Recursive descent from tokens to an [`Expr`], with hard limits so no
//! input can hang the page or overflow the stack.
//!
//! Grammar, loosest binding first:
//!
//! ```text
//! sum     = product (("+" | "-") product)*
//! product = unary (("*" | "/") unary)*
//! unary   = ("-" | "+") unary | power
//! power   = postfix ("^" unary)?          right-associative
//! postfix = primary ("²" | "³")*
//! primary = number | name | name "(" sum ("," sum)? ")" | "(" sum ")"
//! ```
//!
//! Unary minus sits above `^`, so `-x^2` is `-(x^2)` and `2^-x` is `2^(-x)`.

use super::ast::{BinaryOp, Constant, Expr, Function, Selector, Variable, FUNCTION_NAMES};
use super::error::ParseError;
use super::lexer::{tokenize, Token, TokenKind};
use super::{MAX_DEPTH, MAX_INPUT_CHARS, MAX_NODES};

/// Parses `text` into an expression tree, or says where and why it cannot.
pub fn parse_expression(text: &str) -> Result<Expr, ParseError> {
    // Look at no more than the limit plus one character of huge inputs.
    if text.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(ParseError::new(
            MAX_INPUT_CHARS,
            format!("the expression is longer than {MAX_INPUT_CHARS} characters"),
        ));
    }
    let chars: Vec<char> = text.chars().collect();
    let tokens = tokenize(&chars)?;
    if tokens.len() == 1 {
        return Err(ParseError::new(0, "the expression is empty")
            .with_hint("type a function of x and y, e.g. x^2 + 3*y^2"));
    }
    let mut parser = Parser {
        chars: &chars,
        tokens: &tokens,
        next: 0,
        depth: 0,
        nodes: 0,
    };
    let expr = parser.sum()?;
    let token = parser.peek();
    match token.kind {
        TokenKind::End => Ok(expr),
        TokenKind::RightParen => {
            Err(ParseError::new(token.start, "unexpected ')'").with_hint("it closes no '('"))
        }
        _ => Err(parser.unexpected(token)),
    }
}

struct Parser<'a> {
    chars: &'a [char],
    tokens: &'a [Token],
    next: usize,
    /// Current nesting of parentheses, calls, signs and exponents.
    depth: usize,
    /// Nodes built so far.
    nodes: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> &'a Token {
        &self.tokens[self.next]
    }

    fn advance(&mut self) -> &'a Token {
        let token = &self.tokens[self.next];
        if token.kind != TokenKind::End {
            self.next += 1;
        }
        token
    }

    fn text(&self, token: &Token) -> String {
        self.chars[token.start..token.end].iter().collect()
    }

    /// Counts one more node, failing past the limit.
    fn node(&mut self, expr: Expr, at: usize) -> Result<Expr, ParseError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(ParseError::new(
                at,
                format!("the expression has more than {MAX_NODES} parts"),
            )
            .with_hint("simplify it"));
        }
        Ok(expr)
    }

    /// Enters one nesting level before recursing, failing past the limit.
    fn descend(&mut self, at: usize) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::new(
                at,
                format!("the expression is nested more than {MAX_DEPTH} levels deep"),
            )
            .with_hint("remove some parentheses, signs or exponents"));
        }
        Ok(())
    }

    fn ascend(&mut self) {
        self.depth -= 1;
    }

    fn sum(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.product()?;
        loop {
            let token = self.peek();
            let op = match token.kind {
                TokenKind::Plus => BinaryOp::Add,
                TokenKind::Minus => BinaryOp::Sub,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.product()?;
            left = self.node(
                Expr::Binary(op, Box::new(left), Box::new(right)),
                token.start,
            )?;
        }
    }

    fn product(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        loop {
            let token = self.peek();
            let op = match token.kind {
                TokenKind::Star => BinaryOp::Mul,
                TokenKind::Slash => BinaryOp::Div,
                TokenKind::Number(_) | TokenKind::Name(_) | TokenKind::LeftParen => {
                    return Err(self.missing_operator(token));
                }
                _ => return Ok(left),
            };
            self.advance();
            let right = self.unary()?;
            left = self.node(
                Expr::Binary(op, Box::new(left), Box::new(right)),
                token.start,
            )?;
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        let token = self.peek();
        match token.kind {
            TokenKind::Minus | TokenKind::Plus => {
                self.advance();
                self.descend(token.start)?;
                let operand = self.unary()?;
                self.ascend();
                if token.kind == TokenKind::Plus {
                    Ok(operand)
                } else {
                    self.node(Expr::Negate(Box::new(operand)), token.start)
                }
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Expr, ParseError> {
        let base = self.postfix()?;
        let token = self.peek();
        if token.kind != TokenKind::Caret {
            return Ok(base);
        }
        self.advance();
        self.descend(token.start)?;
        let exponent = self.unary()?;
        self.ascend();
        self.node(
            Expr::Binary(BinaryOp::Pow, Box::new(base), Box::new(exponent)),
            token.start,
        )
    }

    fn postfix(&mut self) -> Result<Expr, ParseError> {
        let mut expr = self.primary()?;
        loop {
            let token = self.peek();
            let exponent = match token.kind {
                TokenKind::Square => 2.0,
                TokenKind::Cube => 3.0,
                _ => return Ok(expr),
            };
            self.advance();
            let exponent = self.node(Expr::Number(exponent), token.start)?;
            expr = self.node(
                Expr::Binary(BinaryOp::Pow, Box::new(expr), Box::new(exponent)),
                token.start,
            )?;
        }
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let token = self.advance();
        match &token.kind {
            TokenKind::Number(value) => self.node(Expr::Number(*value), token.start),
            TokenKind::Name(name) => self.name(token, name),
            TokenKind::LeftParen => {
                self.descend(token.start)?;
                let inner = self.sum()?;
                self.ascend();
                self.close(token)?;
                Ok(inner)
            }
            _ => Err(self.unexpected(token)),
        }
    }

    /// A variable, a constant or a function call starting at `token`.
    fn name(&mut self, token: &'a Token, name: &str) -> Result<Expr, ParseError> {
        let leaf = match name {
            "x" => Some(Expr::Variable(Variable::X)),
            "y" => Some(Expr::Variable(Variable::Y)),
            "pi" => Some(Expr::Constant(Constant::Pi)),
            "e" => Some(Expr::Constant(Constant::E)),
            _ => None,
        };
        if let Some(leaf) = leaf {
            return self.node(leaf, token.start);
        }
        let function = Function::from_name(name);
        let selector = match name {
            "min" => Some(Selector::Min),
            "max" => Some(Selector::Max),
            _ => None,
        };
        let arity = if function.is_some() {
            1
        } else if selector.is_some() || name == "pow" {
            2
        } else {
            return Err(unknown_name(
                token,
                name,
                self.peek().kind == TokenKind::LeftParen,
            ));
        };
        let open = self.peek();
        if open.kind != TokenKind::LeftParen {
            let example = if arity == 1 { "(x)" } else { "(x, y)" };
            // Slides write sin²(x) as sin^2(x); here the power goes last.
            let hint = if open.kind == TokenKind::Caret || open.kind == TokenKind::Square {
                format!("write {name}{example}^2 to square {name}{example}")
            } else {
                format!("write {name}{example}")
            };
            return Err(ParseError::new(
                open.start,
                format!("expected '(' after the function name '{name}'"),
            )
            .with_hint(hint));
        }
        self.advance();
        self.descend(open.start)?;
        let mut arguments = vec![self.sum()?];
        while self.peek().kind == TokenKind::Comma {
            let comma = self.advance();
            if arguments.len() == arity {
                return Err(wrong_arity(comma, name, arity));
            }
            arguments.push(self.sum()?);
        }
        self.ascend();
        let close = self.peek();
        if arguments.len() < arity && close.kind == TokenKind::RightParen {
            return Err(wrong_arity(close, name, arity));
        }
        self.close(open)?;
        let mut arguments = arguments.into_iter().map(Box::new);
        let first = arguments.next();
        let second = arguments.next();
        let expr = match (function, selector, first, second) {
            (Some(function), _, Some(a), None) => Expr::Call(function, a),
            (None, Some(selector), Some(a), Some(b)) => Expr::Select(selector, a, b),
            (None, None, Some(a), Some(b)) => Expr::Binary(BinaryOp::Pow, a, b),
            _ => return Err(wrong_arity(close, name, arity)),
        };
        self.node(expr, token.start)
    }

    /// Consumes the ')' that matches `open`, or says why it is missing.
    fn close(&mut self, open: &Token) -> Result<(), ParseError> {
        let token = self.peek();
        match token.kind {
            TokenKind::RightParen => {
                self.advance();
                Ok(())
            }
            TokenKind::End => {
                Err(ParseError::new(open.start, "this '(' is never closed").with_hint("add a ')'"))
            }
            TokenKind::Number(_) | TokenKind::Name(_) | TokenKind::LeftParen => {
                Err(self.missing_operator(token))
            }
            _ => Err(self.unexpected(token)),
        }
    }

    /// An error for a token that cannot come where it stands.
    fn unexpected(&self, token: &Token) -> ParseError {
        match &token.kind {
            TokenKind::End => ParseError::new(token.start, "unexpected end of the expression")
                .with_hint("expected a number, x, y, a function or '('"),
            TokenKind::Comma => ParseError::new(token.start, "unexpected ','")
                .with_hint("commas only separate the two arguments of min, max and pow"),
            TokenKind::RightParen => ParseError::new(token.start, "unexpected ')'")
                .with_hint("expected a number, x, y, a function or '(' before it"),
            _ => ParseError::new(token.start, format!("unexpected '{}'", self.text(token)))
                .with_hint("expected a number, x, y, a function or '('"),
        }
    }

    /// Two operands side by side, as in `2x` or `(x+1)(x-1)`.
    fn missing_operator(&self, token: &Token) -> ParseError {
        let previous = &self.tokens[self.next - 1];
        let hint = match (&previous.kind, &token.kind) {
            (
                TokenKind::Number(_) | TokenKind::Name(_),
                TokenKind::Number(_) | TokenKind::Name(_),
            ) => {
                format!("write {}*{}", self.text(previous), self.text(token))
            }
            _ => "put '*' between the two factors".to_string(),
        };
        ParseError::new(
            token.start,
            format!("missing operator before '{}'", self.text(token)),
        )
        .with_hint(hint)
    }
}

fn wrong_arity(at: &Token, name: &str, arity: usize) -> ParseError {
    let count = if arity == 1 {
        "one argument"
    } else {
        "two arguments"
    };
    ParseError::new(at.start, format!("the function '{name}' takes {count}"))
}

fn unknown_name(token: &Token, name: &str, is_call: bool) -> ParseError {
    let functions: Vec<&str> = FUNCTION_NAMES
        .iter()
        .map(|(n, _)| *n)
        .chain(super::ast::TWO_ARGUMENT_NAMES.iter().copied())
        .collect();
    let lower = name.to_lowercase();
    let known_lower =
        ["x", "y", "pi", "e"].contains(&lower.as_str()) || functions.contains(&lower.as_str());
    let hint = if known_lower {
        format!("names are lower case: write '{lower}'")
    } else if let Some(factors) = split_into_factors(name) {
        format!("write {}", factors.join("*"))
    } else if is_call {
        format!("known functions: {}", functions.join(", "))
    } else {
        format!(
            "known names: x, y, pi, e; functions: {}",
            functions.join(", ")
        )
    };
    let kind = if is_call { "function" } else { "name" };
    ParseError::new(token.start, format!("unknown {kind} '{name}'")).with_hint(hint)
}

/// Splits names like `xy`, `pix` or `x2` into the variables, constants and
/// digit runs they were probably meant as, if there are at least two.
fn split_into_factors(name: &str) -> Option<Vec<&str>> {
    let mut factors = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let length = if digits > 0 {
            digits
        } else if rest.starts_with("pi") {
            2
        } else if rest.starts_with(['x', 'y', 'e']) {
            1
        } else {
            return None;
        };
        factors.push(&rest[..length]);
        rest = &rest[length..];
    }
    (factors.len() >= 2).then_some(factors)
}
