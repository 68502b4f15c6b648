import Testing
@testable import PopCodeRunner

/// The printed error of parsing `text` as YAML, or "no error".
private func yamlError(_ text: String) -> String {
    do {
        _ = try YAMLParser.parse(text, displayName: "t.yaml")
        return "no error"
    } catch {
        return error.description
    }
}

private func parse(_ text: String) throws -> YAMLNode {
    try YAMLParser.parse(text, displayName: "t.yaml")
}

/// A readable rendering of a node's content: `{a: 1, b: [x, y]}`, quoted scalars in quotes.
private func render(_ node: YAMLNode) -> String {
    switch node.kind {
    case .scalar(let scalar):
        scalar.style == .plain ? scalar.value : "\"\(scalar.value)\""
    case .sequence(let items):
        "[" + items.map(render).joined(separator: ", ") + "]"
    case .mapping(let pairs):
        "{" + pairs.map { "\(render($0.key)): \(render($0.value))" }.joined(separator: ", ") + "}"
    }
}

private func pairs(_ node: YAMLNode) -> [YAMLNode.Pair] {
    guard case .mapping(let pairs) = node.kind else { return [] }
    return pairs
}

@Suite("YAML parser")
struct ConfigYAMLParserTests {
    @Test func blockAndFlowStylesGiveTheSameTree() throws {
        let block = try parse("""
            a: 1
            b:
              - x
              - y
            c:
              d: 'q'
            """)
        let flow = try parse("{a: 1, b: [x, y], c: {d: 'q'}}")
        #expect(render(block) == "{a: 1, b: [x, y], c: {d: \"q\"}}")
        #expect(block.hasSameContent(as: flow))
        #expect(block != flow)  // marks differ
    }

    @Test func commentsAreIgnored() throws {
        let node = try parse("""
            # leading comment
            a: 1   # trailing comment
            # between
            b: [1, # inside a flow list
                2]
            """)
        #expect(render(node) == "{a: 1, b: [1, 2]}")
    }

    @Test func marksAreOneBased() throws {
        let node = try parse("""
            a: 1
            bb:
              - x
            """)
        let all = pairs(node)
        #expect(node.mark == SourceMark(line: 1, column: 1))
        #expect(all[0].key.mark == SourceMark(line: 1, column: 1))
        #expect(all[0].value.mark == SourceMark(line: 1, column: 4))
        #expect(all[1].key.mark == SourceMark(line: 2, column: 1))
        #expect(all[1].value.mark == SourceMark(line: 3, column: 3))
        guard case .sequence(let items) = all[1].value.kind else {
            Issue.record("expected a sequence")
            return
        }
        #expect(items[0].mark == SourceMark(line: 3, column: 5))
    }

    @Test func scalarStylesAndTagsAreKept() throws {
        let node = try parse("""
            p: 1
            s: 'x'
            d: "y"
            l: |
              z
            t: !!str 2
            """)
        let scalars = pairs(node).compactMap(\.value.scalar)
        #expect(scalars.map(\.style) == [.plain, .singleQuoted, .doubleQuoted, .literal, .plain])
        #expect(scalars[3].value == "z\n")
        #expect(scalars[4].tag == "tag:yaml.org,2002:str")
        #expect(scalars[0].tag == nil)
    }

    @Test func aliasesCopyTheAnchoredNode() throws {
        let node = try parse("""
            base: &b [1, 2]
            copy: *b
            scalar: &s hello
            again: *s
            """)
        #expect(render(node) == "{base: [1, 2], copy: [1, 2], scalar: hello, again: hello}")
        // The copy keeps the marks of the place the value is written.
        #expect(pairs(node)[1].value.mark == SourceMark(line: 1, column: 7))
    }

    @Test func aLaterAnchorOfTheSameNameWins() throws {
        let node = try parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\n")
        #expect(render(node) == "{a: 1, b: 1, c: 2, d: 2}")
    }

    @Test func mergeKeyInsertsPairsWhereItStands() throws {
        let node = try parse("""
            base: &base {x: 1, y: 2}
            m:
              first: 0
              <<: *base
              last: 3
            """)
        #expect(render(pairs(node)[1].value) == "{first: 0, x: 1, y: 2, last: 3}")
    }

    @Test func explicitKeysWinOverMergedOnesWhereverTheyAre() throws {
        let node = try parse("""
            base: &base {x: 1, y: 2}
            m:
              <<: *base
              y: 20
            """)
        #expect(render(pairs(node)[1].value) == "{x: 1, y: 20}")
    }

    @Test func earlierMergedMappingsWinOverLaterOnes() throws {
        let node = try parse("""
            a: &a {x: 1, y: 1}
            b: &b {y: 2, z: 2}
            m:
              <<: [*a, *b]
              w: 0
            """)
        #expect(render(pairs(node)[2].value) == "{x: 1, y: 1, z: 2, w: 0}")
    }

    @Test func mergeOfAnInlineMappingAndQuotedKeyIsNotAMerge() throws {
        let node = try parse("m: {<<: {x: 1}, '<<': 2}")
        #expect(render(node) == "{m: {x: 1, \"<<\": 2}}")
    }

    /// A node with an anchor or a tag starts at that anchor or tag, as in libyaml.
    @Test func mergeNeedsMappings() {
        #expect(yamlError("a: &a 1\nm:\n  <<: *a\n") == """
            t.yaml:1:4: error: a merge key '<<' takes a mapping or a list of mappings, got a scalar
            a: &a 1
               ^
            """)
        #expect(yamlError("m:\n  <<: [{x: 1}, [2]]\n") == """
            t.yaml:2:16: error: a merge key '<<' takes a mapping or a list of mappings, got a list
              <<: [{x: 1}, [2]]
                           ^
            """)
    }

    @Test func aliasToAnUnknownAnchorIsAnError() {
        #expect(yamlError("a: 1\nb: *nope\n") == """
            t.yaml:2:4: error: unknown anchor 'nope' (an alias must come after its anchor '&nope')
            b: *nope
               ^
            """)
    }

    @Test func anAliasInsideItsOwnAnchorIsUnknown() {
        #expect(yamlError("a: &x [1, *x]\n") == """
            t.yaml:1:11: error: unknown anchor 'x' (an alias must come after its anchor '&x')
            a: &x [1, *x]
                      ^
            """)
    }

    @Test func syntaxErrorIsLocatedWithLibYAMLsProblemAndContext() {
        #expect(yamlError("name: g\nlr: [0.1, 0.2\nsigma: 1\n") == """
            t.yaml:3:6: error: did not find expected ',' or ']' while parsing a flow sequence
            sigma: 1
                 ^
            note: the flow sequence started at line 2, column 5
            """)
        #expect(yamlError("a: 1\n b: 2\n") == """
            t.yaml:2:3: error: mapping values are not allowed in this context
             b: 2
              ^
            """)
    }

    @Test func errorAtTheEndOfATextWithoutFinalNewlineIsOnItsLastLine() {
        #expect(yamlError("a: \"open") == """
            t.yaml:1:9: error: found unexpected end of stream while scanning a quoted scalar
            a: "open
                    ^
            note: the quoted scalar started at line 1, column 4
            """)
    }

    @Test func tabsInTheSourceLineKeepTheCaretAligned() {
        #expect(yamlError("a: 1\n\tb: 2\n") == """
            t.yaml:2:1: error: found a tab character that violates indentation while scanning a plain scalar
            \tb: 2
            ^
            note: the plain scalar started at line 1, column 4
            """)
        #expect(yamlError("a: [1,\t@]\n") == """
            t.yaml:1:8: error: found character that cannot start any token while scanning for the next token
            a: [1,\t@]
                  \t^
            """)
    }

    @Test func controlCharactersAreLocated() {
        #expect(yamlError("a: 1\nb: x\u{1}y\n") == """
            t.yaml:2:5: error: control characters are not allowed (found U+0001)
            b: x\u{1}y
                ^
            """)
    }

    @Test func crlfAndCRLineBreaksCountAsOneLine() {
        #expect(yamlError("a: 1\r\nb: 2\r\nb: 3\r\n") == """
            t.yaml:3:1: error: duplicate key 'b' (first given at line 2)
            b: 3
            ^
            """)
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(yamlError("\u{FEFF}a: 1\na: 2\n") == """
            t.yaml:2:1: error: duplicate key 'a' (first given at line 1)
            a: 2
            ^
            """)
    }

    @Test func duplicateKeysAreRefusedEvenWhenQuotedDifferently() {
        #expect(yamlError("m: {lr: 1, \"lr\": 2}\n") == """
            t.yaml:1:12: error: duplicate key 'lr' (first given at line 1, column 5)
            m: {lr: 1, "lr": 2}
                       ^
            """)
        #expect(yamlError("a: &a {x: 1}\nm:\n  <<: *a\n  <<: *a\n") == """
            t.yaml:4:3: error: duplicate key '<<' (first given at line 3)
              <<: *a
              ^
            """)
    }

    @Test func exactlyOneDocument() {
        #expect(yamlError("") == "t.yaml: error: no YAML document (the text is empty or only has comments)")
        #expect(yamlError("# just a comment\n") == "t.yaml: error: no YAML document (the text is empty or only has comments)")
        #expect(yamlError("a: 1\n---\nb: 2\n") == """
            t.yaml:2:1: error: expected a single YAML document, found a second one
            ---
            ^
            """)
        #expect(yamlError("---\na: 1\n...\n") == "no error")
    }

    @Test func unsupportedCollectionTagsAreRefused() {
        #expect(yamlError("a: !!set {x}\n") == """
            t.yaml:1:4: error: unsupported tag 'tag:yaml.org,2002:set'
            a: !!set {x}
               ^
            """)
        #expect(yamlError("a: !!seq [1]\nb: !!map {c: 1}\n") == "no error")
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "[", count: YAMLParser.maxDepth + 1)
            + String(repeating: "]", count: YAMLParser.maxDepth + 1)
        #expect(yamlError(deep).hasPrefix("t.yaml:1:\(YAMLParser.maxDepth + 1): error: nesting is too deep (more than 256 levels)"))
        let fine = String(repeating: "[", count: YAMLParser.maxDepth)
            + String(repeating: "]", count: YAMLParser.maxDepth)
        #expect(yamlError(fine) == "no error")
    }

    @Test func aliasBombsAreRefused() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...7 {
            let previous = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(previous)]\n"
        }
        #expect(yamlError(text).hasPrefix("t.yaml:6:"))
        #expect(yamlError(text).contains("error: the document has more than 1000000 nodes once aliases are expanded"))
    }
}
