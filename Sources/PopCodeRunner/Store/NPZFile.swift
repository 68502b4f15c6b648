import Foundation
internal import ZIPFoundation

/// Named arrays in numpy's `.npz` format: a zip archive of `.npy` files, stored without
/// compression, as `np.savez` writes it. `np.load(path)` opens it and gives each array by
/// its name without `.npy` (`np.load("arrays.npz")["W1"]`).
///
/// One archive instead of one `.npy` file per array because creating a file is what a tiny
/// run's store costs most (on ext4 each creation scans the inode table, slowly after mass
/// deletions). The only file importing ZIPFoundation; the archive is built and read in
/// memory and written with `AtomicFile` like every other result file.
public enum NPZFile {
    /// The zip entries' modification time: fixed, so that the same arrays give the same bytes
    /// (a resumed run's archive equals an uninterrupted one's). Noon UTC of the zip epoch's
    /// first day: zip stores local time, and this is still 1980-01-01 from UTC−11 to UTC+11.
    static let entryDate = Date(timeIntervalSince1970: 315_532_800 + 12 * 3600)

    /// The archive's bytes: one stored entry `NAME` (e.g. `W1.npy`) per array, in order.
    public static func data(_ arrays: [(name: String, file: NPYFile)]) throws(NPYFile.FormatError) -> Data {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (name, file) in arrays {
                let bytes = file.data
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count),
                                     modificationDate: entryDate, compressionMethod: .none) { position, size in
                    bytes.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
            guard let data = archive.data else { throw NPYFile.FormatError(reason: "the archive kept no bytes") }
            return data
        } catch let error as NPYFile.FormatError {
            throw error
        } catch {
            throw NPYFile.FormatError(reason: "cannot build the .npz archive (\(error))")
        }
    }

    /// The arrays of an archive by entry name (`W1.npy`), each checked against its CRC-32.
    public static func arrays(from data: Data) throws(NPYFile.FormatError) -> [String: NPYFile] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw NPYFile.FormatError(reason: "not a zip (.npz) archive")
        }
        var arrays: [String: NPYFile] = [:]
        for entry in archive where entry.type == .file {
            var bytes = Data(capacity: Int(entry.uncompressedSize))
            // `extract` into a consumer returns the checksum without comparing it.
            let checksum: CRC32
            do { checksum = try archive.extract(entry) { bytes.append($0) } } catch {
                throw NPYFile.FormatError(reason: "entry \(entry.path) is damaged (\(error))")
            }
            guard checksum == entry.checksum else {
                throw NPYFile.FormatError(reason: "entry \(entry.path) is damaged (its CRC-32 does not match)")
            }
            do { arrays[entry.path] = try NPYFile(data: bytes) } catch {
                throw NPYFile.FormatError(reason: "entry \(entry.path): \(error.reason)")
            }
        }
        return arrays
    }
}
