import Foundation
import PopCode

/// A reader for the .npy files numpy's `np.save` writes (format 1.0, little-endian
/// float64 or int64, C order), for the baseline fixtures.
struct NPYArray {
    let shape: [Int]
    let doubles: [Double]
    let ints: [Int]

    enum ReadError: Error { case badFile(String) }

    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        guard data.count > 10, data.prefix(6) == Data([0x93] + Array("NUMPY".utf8)) else {
            throw ReadError.badFile("\(url.lastPathComponent): not an .npy file")
        }
        let major = data[data.startIndex + 6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(data[data.startIndex + 8]) | Int(data[data.startIndex + 9]) << 8
            headerStart = 10
        } else {
            headerLength = (0..<4).reduce(0) { $0 | Int(data[data.startIndex + 8 + $1]) << (8 * $1) }
            headerStart = 12
        }
        let header = String(decoding: data[(data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength)], as: UTF8.self)
        guard header.contains("'fortran_order': False") else {
            throw ReadError.badFile("\(url.lastPathComponent): Fortran order")
        }
        let shapeText = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
        shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        let body = data.subdata(in: (data.startIndex + headerStart + headerLength)..<data.endIndex)
        guard body.count == count * 8 else { throw ReadError.badFile("\(url.lastPathComponent): size") }
        let words = body.withUnsafeBytes { raw in
            (0..<count).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)) }
        }
        if header.contains("'descr': '<f8'") {
            doubles = words.map { Double(bitPattern: $0) }
            ints = []
        } else if header.contains("'descr': '<i8'") {
            ints = words.map { Int(Int64(bitPattern: $0)) }
            doubles = []
        } else {
            throw ReadError.badFile("\(url.lastPathComponent): unsupported dtype in \(header)")
        }
    }

    /// The array as a matrix (1-d arrays become one row).
    var matrix: Matrix {
        shape.count == 1 ? Matrix(rows: 1, columns: shape[0], storage: doubles)
            : Matrix(rows: shape[0], columns: shape.dropFirst().reduce(1, *), storage: doubles)
    }
}

/// FNV-1a 64 over the little-endian bytes of `values`' bit patterns, as hex (the same
/// hash the fixture script computes over numpy's `tobytes()`).
func fnv1a64(_ values: [Double]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for value in values {
        var bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// The folder of a baseline fixture set.
func baselineFixture(_ name: String) throws -> URL {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/baseline") else {
        throw NPYArray.ReadError.badFile("no fixture folder \(name)")
    }
    return url
}
