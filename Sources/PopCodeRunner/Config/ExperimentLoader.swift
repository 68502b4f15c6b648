import Foundation

/// Reads experiment files into validated `ExperimentSpec`s.
public enum ExperimentLoader {
    /// The experiment in the file at `path` with `overrides` (`key=value`) applied.
    /// Errors name the file by `path` as given.
    public static func load(path: String, overrides: [String] = []) throws(ConfigError) -> ExperimentSpec {
        try parse(text: try readText(atPath: path), displayName: path, overrides: overrides)
    }

    /// The experiment written in `text` with `overrides` (`key=value`, see
    /// `ExperimentSpec.applying(overrides:)`) applied; errors name the text `displayName`.
    public static func parse(text: String, displayName: String,
                             overrides: [String] = []) throws(ConfigError) -> ExperimentSpec {
        let source = SourceText(displayName: displayName, text: text)
        let root = try YAMLParser.parse(text, source: source)
        var draft = try ExperimentDecoder(source: source).decodeExperiment(root)
        for (index, override) in overrides.enumerated() {
            try draft.apply(override: override, order: index + 1)
        }
        return try draft.validated()
    }

    /// The UTF-8 text of the file at `path`.
    static func readText(atPath path: String) throws(ConfigError) -> String {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(file: path, message: "no such file")
        }
        guard !isDirectory else {
            throw ConfigError(file: path, message: "is a directory, not a file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError where error.code == .fileReadNoPermission {
            throw ConfigError(file: path, message: "cannot read the file: permission denied")
        } catch {
            throw ConfigError(file: path, message: "cannot read the file")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ConfigError(file: path, message: "the file is not valid UTF-8 text")
        }
        return text
    }
}
