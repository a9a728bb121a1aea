//! A small XML tree written the same way every time: attributes in the order given, two spaces
//! of indentation, text escaped by quick-xml.

use quick_xml::escape::escape;

/// An element with its attributes and children.
#[derive(Debug, Clone)]
pub struct El {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone)]
enum Node {
    El(El),
    Text(String),
}

impl El {
    /// An element named `name` (with its prefix, if any).
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Adds an attribute.
    pub fn attr(mut self, name: &str, value: impl Into<String>) -> Self {
        self.attrs.push((name.to_string(), value.into()));
        self
    }

    /// Adds an attribute where there is a value.
    pub fn attr_opt(self, name: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.attr(name, value),
            None => self,
        }
    }

    /// Adds a child element.
    pub fn child(mut self, child: El) -> Self {
        self.children.push(Node::El(child));
        self
    }

    /// Adds child elements.
    pub fn children(mut self, children: impl IntoIterator<Item = El>) -> Self {
        self.children.extend(children.into_iter().map(Node::El));
        self
    }

    /// Adds text.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.children.push(Node::Text(text.into()));
        self
    }

    /// An element holding only `text`.
    pub fn leaf(name: &str, text: impl Into<String>) -> Self {
        Self::new(name).text(text)
    }

    fn write(&self, out: &mut String, depth: usize) {
        let indent = "  ".repeat(depth);
        out.push_str(&indent);
        out.push('<');
        out.push_str(&self.name);
        for (name, value) in &self.attrs {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            out.push_str(&escape(value.as_str()));
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>\n");
            return;
        }
        out.push('>');
        let only_text = self.children.iter().all(|c| matches!(c, Node::Text(_)));
        if only_text {
            for child in &self.children {
                if let Node::Text(text) = child {
                    out.push_str(&escape(text.as_str()));
                }
            }
        } else {
            out.push('\n');
            for child in &self.children {
                match child {
                    Node::El(el) => el.write(out, depth + 1),
                    Node::Text(text) => {
                        out.push_str(&"  ".repeat(depth + 1));
                        out.push_str(&escape(text.as_str()));
                        out.push('\n');
                    }
                }
            }
            out.push_str(&indent);
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push_str(">\n");
    }
}

/// The document with `root` as its element, UTF-8, with the XML declaration.
pub fn document(root: &El) -> Vec<u8> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    root.write(&mut out, 0);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_the_layout_is_fixed() {
        let root = El::new("a")
            .attr("x", "\"<&>'")
            .child(El::leaf("b", "1 < 2 & #read(\"/etc/passwd\")"))
            .child(El::new("c"));
        assert_eq!(
            String::from_utf8(document(&root)).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"&quot;&lt;&amp;&gt;&apos;\">\n  <b>1 &lt; 2 &amp; #read(&quot;/etc/passwd&quot;)</b>\n  <c/>\n</a>\n"
        );
    }
}
