internal import CLibYAML

/// Parses one YAML document into a `YAMLNode` tree with libyaml's event API.
///
/// This is the only file that sees libyaml. On top of plain YAML it
/// - requires exactly one document (an empty text or a second document is an error),
/// - replaces each alias by the anchored node (an alias to an unknown anchor is an error),
/// - applies YAML 1.1 merge keys: `<<: *a` or `<<: [*a, *b]` inserts the pairs of the merged
///   mappings where the `<<` pair stands, skipping keys the mapping itself gives and, between
///   several merged mappings, keys an earlier one gave,
/// - refuses a key given twice in one mapping (merged keys excepted),
/// - caps nesting at `maxDepth` levels and the alias-expanded tree at `maxNodes` nodes.
///
/// Every error is a `ConfigError` located at the offending node; marks are 1-based.
public enum YAMLParser {
    /// The deepest nesting of sequences and mappings accepted.
    public static let maxDepth = 256
    /// The most nodes a document may have once aliases are expanded (guards against
    /// "billion laughs" documents).
    public static let maxNodes = 1_000_000

    /// Parses `text`, naming it `displayName` in errors.
    public static func parse(_ text: String, displayName: String) throws(ConfigError) -> YAMLNode {
        try parse(text, source: SourceText(displayName: displayName, text: text))
    }

    /// Parses `text`, which starts at column `columnOffset + 1` of the first line of `source`
    /// (an override's value after `key=`); errors show the line of `source`.
    static func parse(_ text: String, source: SourceText,
                      columnOffset: Int = 0) throws(ConfigError) -> YAMLNode {
        // libyaml skips a byte order mark but counts its bytes in reader-error offsets.
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        let reader = try EventReader(text: text, source: source, columnOffset: columnOffset)
        var builder = TreeBuilder(source: source)
        while true {
            let event = try reader.next()
            if try builder.consume(event) { break }
        }
        guard let root = builder.root else {
            throw source.error("no YAML document (the text is empty or only has comments)")
        }
        return root
    }
}

// MARK: - Events

/// A libyaml event in Swift terms, with 1-based marks.
private enum Event {
    case streamStart
    case streamEnd
    case documentStart(SourceMark)
    case documentEnd
    case alias(anchor: String, mark: SourceMark)
    case scalar(YAMLNode.Scalar, anchor: String?, mark: SourceMark)
    case sequenceStart(anchor: String?, tag: String?, mark: SourceMark)
    case sequenceEnd
    case mappingStart(anchor: String?, tag: String?, mark: SourceMark)
    case mappingEnd
}

/// Owns a libyaml parser and the copy of the input it reads; frees both in `deinit`.
private final class EventReader {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    /// libyaml reads the input in place, so it must outlive the parser.
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let text: String
    private let source: SourceText
    private let columnOffset: Int
    /// The position just after the last character of `text`.
    private let endMark: SourceMark

    init(text: String, source: SourceText, columnOffset: Int) throws(ConfigError) {
        // Set up the C side before any stored property, so that a failure here frees it
        // here and `deinit` only ever sees a working parser.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        guard yaml_parser_initialize(parser) != 0 else {
            parser.deallocate()
            throw source.error("cannot start the YAML parser (out of memory)")
        }
        let bytes = Array(text.utf8)
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
        self.parser = parser
        self.input = input
        self.text = text
        self.source = source
        self.columnOffset = columnOffset
        endMark = SourceText(displayName: "", text: text).mark(ofByteOffset: .max)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event; libyaml's error state becomes a `ConfigError` here and nowhere else.
    func next() throws(ConfigError) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) != 0 else { throw currentError() }
        defer { yaml_event_delete(&event) }
        let mark = self.mark(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(mark)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: string(event.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let value = data.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self)
            } ?? ""
            let scalar = YAMLNode.Scalar(value: value, style: style(data.style),
                                         tag: string(data.tag))
            return .scalar(scalar, anchor: string(data.anchor), mark: mark)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            return .sequenceStart(anchor: string(data.anchor), tag: string(data.tag), mark: mark)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            return .mappingStart(anchor: string(data.anchor), tag: string(data.tag), mark: mark)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_STREAM_END_EVENT; libyaml never returns YAML_NO_EVENT on success.
            return .streamEnd
        }
    }

    /// The parser's error as a `ConfigError`: libyaml's problem, then its context, at the
    /// problem's mark (reader errors give a byte offset instead of a mark).
    private func currentError() -> ConfigError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown YAML error"
        switch state.error {
        case YAML_MEMORY_ERROR:
            return source.error("out of memory while parsing YAML")
        case YAML_READER_ERROR:
            var message = problem
            if state.problem_value >= 0, let scalar = Unicode.Scalar(UInt32(state.problem_value)) {
                message += " (found U+\(hex(scalar.value)))"
            }
            let local = SourceText(displayName: "", text: text).mark(ofByteOffset: state.problem_offset)
            return source.error(at: shifted(local), message)
        default:
            let problemMark = mark(state.problem_mark)
            guard let context = state.context.map({ String(cString: $0) }) else {
                return source.error(at: problemMark, problem)
            }
            let contextMark = mark(state.context_mark)
            return source.error(at: problemMark, "\(problem) \(context)",
                                note: contextMark == problemMark ? nil
                                    : contextNote(context, at: contextMark))
        }
    }

    /// Where the construct libyaml was reading began: "while parsing a flow sequence" at 1:4
    /// gives "the flow sequence started at line 1, column 4".
    private func contextNote(_ context: String, at mark: SourceMark) -> String {
        let place = "line \(mark.line), column \(mark.column)"
        for prefix in ["while parsing a ", "while parsing an ", "while scanning a ", "while scanning an "]
        where context.hasPrefix(prefix) {
            return "the \(context.dropFirst(prefix.count)) started at \(place)"
        }
        return "\(context) started at \(place)"
    }

    /// libyaml's 0-based mark as a 1-based `SourceMark` in `source`. At the end of a text
    /// without a final line break libyaml moves to a line that does not exist; such marks
    /// are put back at the end of the last line.
    private func mark(_ mark: yaml_mark_t) -> SourceMark {
        shifted(min(SourceMark(line: mark.line + 1, column: mark.column + 1), endMark))
    }

    private func shifted(_ mark: SourceMark) -> SourceMark {
        mark.line == 1 ? SourceMark(line: 1, column: mark.column + columnOffset) : mark
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private func style(_ style: yaml_scalar_style_t) -> YAMLNode.ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

// MARK: - Tree building

/// Builds the node tree from events with an explicit stack (no recursion), resolving
/// aliases and merge keys as collections close.
private struct TreeBuilder {
    private struct Frame {
        let anchor: String?
        let mark: SourceMark
        /// Sequence items, or mapping keys and values alternating.
        var items: [YAMLNode] = []
        /// Nodes in this collection's subtree, itself included.
        var size = 1
    }

    let source: SourceText
    private(set) var root: YAMLNode?
    private var frames: [Frame] = []
    /// Anchored nodes with their subtree sizes; a later anchor of the same name wins.
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var documentCount = 0
    private var nodeCount = 0

    init(source: SourceText) {
        self.source = source
    }

    /// Takes one event; returns `true` at the end of the stream.
    mutating func consume(_ event: Event) throws(ConfigError) -> Bool {
        switch event {
        case .streamStart, .documentEnd:
            break
        case .streamEnd:
            return true
        case .documentStart(let mark):
            guard documentCount == 0 else {
                throw source.error(at: mark, "expected a single YAML document, found a second one")
            }
            documentCount += 1
        case .alias(let anchor, let mark):
            guard let (node, size) = anchors[anchor] else {
                throw source.error(at: mark,
                                   "unknown anchor '\(anchor)' (an alias must come after its anchor '&\(anchor)')")
            }
            try count(size, at: mark)
            add(node, size: size, anchor: nil)
        case .scalar(let scalar, let anchor, let mark):
            try count(1, at: mark)
            add(YAMLNode(.scalar(scalar), mark: mark), size: 1, anchor: anchor)
        case .sequenceStart(let anchor, let tag, let mark):
            try open(anchor: anchor, tag: tag, standardTag: "tag:yaml.org,2002:seq", mark: mark)
        case .mappingStart(let anchor, let tag, let mark):
            try open(anchor: anchor, tag: tag, standardTag: "tag:yaml.org,2002:map", mark: mark)
        case .sequenceEnd:
            let frame = frames.removeLast()
            try count(1, at: frame.mark)
            add(YAMLNode(.sequence(frame.items), mark: frame.mark), size: frame.size,
                anchor: frame.anchor)
        case .mappingEnd:
            let frame = frames.removeLast()
            try count(1, at: frame.mark)
            add(YAMLNode(.mapping(try resolveMapping(frame.items)), mark: frame.mark),
                size: frame.size, anchor: frame.anchor)
        }
        return false
    }

    /// Starts a collection; only its standard tag (or the non-specific `!`) is accepted.
    private mutating func open(anchor: String?, tag: String?, standardTag: String,
                               mark: SourceMark) throws(ConfigError) {
        if let tag, tag != "!", tag != standardTag {
            throw source.error(at: mark, "unsupported tag '\(tag)'")
        }
        guard frames.count < YAMLParser.maxDepth else {
            throw source.error(at: mark, "nesting is too deep (more than \(YAMLParser.maxDepth) levels)")
        }
        frames.append(Frame(anchor: anchor, mark: mark))
    }

    /// Adds a finished node of `size` nodes (a scalar, a closed collection, or an alias's
    /// copy of its anchored node) to its parent, or makes it the root.
    private mutating func add(_ node: YAMLNode, size: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (node, size) }
        if frames.isEmpty {
            root = node
        } else {
            frames[frames.count - 1].items.append(node)
            frames[frames.count - 1].size += size
        }
    }

    /// Counts `count` more nodes in the expanded tree; too many is an error at `mark`.
    private mutating func count(_ count: Int, at mark: SourceMark) throws(ConfigError) {
        nodeCount += count
        guard nodeCount <= YAMLParser.maxNodes else {
            throw source.error(at: mark,
                               "the document has more than \(YAMLParser.maxNodes) nodes once aliases are expanded")
        }
    }

    /// The pairs of a closed mapping, `items` being its keys and values alternating:
    /// duplicate keys refused, merge keys resolved.
    private func resolveMapping(_ items: [YAMLNode]) throws(ConfigError) -> [YAMLNode.Pair] {
        let pairs = stride(from: 0, to: items.count - 1, by: 2).map {
            YAMLNode.Pair(key: items[$0], value: items[$0 + 1])
        }
        var explicitKeys = KeyIndex()
        var mergeKey: YAMLNode?
        for pair in pairs {
            // A merge key is not a string: `<<` and '<<' are different keys.
            let first = isMergeKey(pair.key) ? mergeKey : explicitKeys.first(matching: pair.key)
            if let first {
                throw source.error(at: pair.key.mark, duplicateKeyMessage(pair.key, first: first))
            }
            if isMergeKey(pair.key) {
                mergeKey = pair.key
            } else {
                explicitKeys.insert(pair.key)
            }
        }
        guard mergeKey != nil else { return pairs }

        var resolved: [YAMLNode.Pair] = []
        var mergedKeys = KeyIndex()
        for pair in pairs {
            guard isMergeKey(pair.key) else {
                resolved.append(pair)
                continue
            }
            for merged in try mergedMappings(pair.value) {
                for mergedPair in merged
                where explicitKeys.first(matching: mergedPair.key) == nil
                    && mergedKeys.first(matching: mergedPair.key) == nil {
                    mergedKeys.insert(mergedPair.key)
                    resolved.append(mergedPair)
                }
            }
        }
        return resolved
    }

    /// The mappings a merge key's value names, earliest first.
    private func mergedMappings(_ value: YAMLNode) throws(ConfigError) -> [[YAMLNode.Pair]] {
        func mapping(_ node: YAMLNode) throws(ConfigError) -> [YAMLNode.Pair] {
            guard case .mapping(let pairs) = node.kind else {
                throw source.error(at: node.mark,
                                   "a merge key '<<' takes a mapping or a list of mappings, got \(node.kindName)")
            }
            return pairs
        }
        if case .sequence(let items) = value.kind {
            var mappings: [[YAMLNode.Pair]] = []
            for item in items { mappings.append(try mapping(item)) }
            return mappings
        }
        return [try mapping(value)]
    }

    /// Whether `key` is the YAML 1.1 merge key: a plain `<<`, or one tagged `!!merge`.
    private func isMergeKey(_ key: YAMLNode) -> Bool {
        guard let scalar = key.scalar, scalar.value == "<<" else { return false }
        return scalar.tag == "tag:yaml.org,2002:merge" || (scalar.tag == nil && scalar.style.isPlain)
    }

    private func duplicateKeyMessage(_ key: YAMLNode, first: YAMLNode) -> String {
        let name = key.scalar.map { " '\($0.value)'" } ?? ""
        let place = first.mark.line == key.mark.line
            ? "line \(first.mark.line), column \(first.mark.column)"
            : "line \(first.mark.line)"
        return "duplicate key\(name) (first given at \(place))"
    }
}

/// The keys of one mapping, found by content (`lr` and `"lr"` are the same key).
private struct KeyIndex {
    private var scalars: [String: YAMLNode] = [:]
    private var collections: [YAMLNode] = []

    func first(matching key: YAMLNode) -> YAMLNode? {
        if let scalar = key.scalar { return scalars[scalar.value] }
        return collections.first { $0.hasSameContent(as: key) }
    }

    mutating func insert(_ key: YAMLNode) {
        if let scalar = key.scalar {
            scalars[scalar.value] = scalars[scalar.value] ?? key
        } else {
            collections.append(key)
        }
    }
}
