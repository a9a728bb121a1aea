# Runs an ISO Schematron schema's rules on an XML document with Saxon's XPath 3.1 (the PyPI
# package saxonche), since xmllint cannot run Schematron and lxml refuses the xslt2 query binding.
# Each pattern's rules are tried in order and a node is checked by the first rule whose context it
# matches, as Schematron does. Prints each failed assert or fired report; exits 1 if there is one.
# Usage: python schematron.py SCHEMA.sch DOCUMENT.xml
import sys
from xml.etree import ElementTree

from saxonche import PySaxonProcessor

SCH = "{http://purl.oclc.org/dsdl/schematron}"


def text(element):
    return " ".join("".join(element.itertext()).split())


def main(schema_path, document_path):
    schema = ElementTree.parse(schema_path).getroot()
    namespaces = {n.get("prefix"): n.get("uri") for n in schema.iter(SCH + "ns")}
    failures = []
    with PySaxonProcessor(license=False) as saxon:
        xpath = saxon.new_xpath_processor()
        for prefix, uri in namespaces.items():
            xpath.declare_namespace(prefix, uri)
        document = saxon.parse_xml(xml_file_name=document_path)
        for pattern in schema.iter(SCH + "pattern"):
            handled = set()
            for rule in pattern.findall(SCH + "rule"):
                context = rule.get("context")
                query = context if context.startswith("/") else "//(" + context + ")"
                xpath.set_context(xdm_item=document)
                matches = xpath.evaluate(query)
                for node in (matches or []):
                    xpath.set_context(xdm_item=node)
                    identity = str(xpath.evaluate_single("generate-id(.)"))
                    if identity in handled:
                        continue
                    handled.add(identity)
                    where = str(xpath.evaluate_single("path(.)"))
                    for check in rule:
                        if check.tag == SCH + "assert" and not xpath.effective_boolean_value(check.get("test")):
                            failures.append(f"{where}: {text(check)}")
                        if check.tag == SCH + "report" and xpath.effective_boolean_value(check.get("test")):
                            failures.append(f"{where}: {text(check)}")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


sys.exit(main(sys.argv[1], sys.argv[2]))
