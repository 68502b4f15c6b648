import Foundation
import HTTPTypes
import Hummingbird

/// The dashboard's responses: pages, JSON, downloads and plain-text errors, none cached.
enum Responses {
    static func html(_ page: String) -> Response {
        respond(.ok, type: "text/html; charset=utf-8", ByteBuffer(string: page))
    }

    static func json(_ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return text(.internalServerError, "cannot encode the answer") }
        return respond(.ok, type: "application/json", ByteBuffer(bytes: data))
    }

    /// A file as a download; JSON and text files are shown as text when opened in the browser.
    static func file(_ data: Data, name: String) -> Response {
        let type = switch (name as NSString).pathExtension.lowercased() {
        case "json": "application/json"
        case "csv": "text/csv; charset=utf-8"
        case "md", "yaml", "yml", "txt", "log", "out": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
        var response = respond(.ok, type: type, ByteBuffer(bytes: data))
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0.value >= 0x20 ? Character($0) : "_" })
        response.headers[.contentDisposition] = "attachment; filename=\"\(ascii)\""
        return response
    }

    static var notFound: Response { text(.notFound, "not found") }

    static func badRequest(_ reason: String) -> Response { text(.badRequest, "bad request: \(reason)") }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        respond(status, type: "text/plain; charset=utf-8", ByteBuffer(string: message + "\n"))
    }

    private static func respond(_ status: HTTPResponse.Status, type: String, _ body: ByteBuffer) -> Response {
        Response(status: status, headers: [.contentType: type, .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: body))
    }
}

/// On every answer: a content security policy that lets a page load nothing from elsewhere
/// (its inline style and script, and fetches to this server only), no sniffing, no framing.
/// When the server listens on loopback only, requests whose Host is not a loopback name are
/// refused (403), so that a web page cannot reach the dashboard by DNS rebinding.
/// `Server-Timing: app;dur=<ms>` says how long the server took (for `make bench`).
struct DashboardMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Allowed Host header names (without port); nil allows any.
    let allowedHosts: Set<String>?

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        if let allowedHosts, let host = request.head.authority,
           !allowedHosts.contains(Self.hostName(host)) {
            response = Responses.text(.forbidden, "forbidden: this dashboard answers to \(allowedHosts.sorted().joined(separator: ", ")) only")
        } else {
            response = try await next(request, context)
        }
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; "
            + "script-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
        response.headers[HTTPField.Name("Server-Timing")!] = String(format: "app;dur=%.2f", milliseconds)
        return response
    }

    /// `localhost:8080` → `localhost`, `[::1]:8080` → `::1`.
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<end])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "").lowercased()
    }

    static var loopbackNames: Set<String> { ["127.0.0.1", "localhost", "::1"] }
}
