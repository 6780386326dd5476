namespace Peregrine.Graph.Media.Api;

/// <summary>An answer of the files API other than success: <c>{ "error": "&lt;code&gt;", "message": "..." }</c> with a 4xx/5xx status.</summary>
public sealed class FileApiError(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static FileApiError TooLarge(long limit) => new(413, "file-too-large", $"file is larger than the limit of {limit} bytes");
    public static FileApiError TooManyFiles(int max) => new(413, "too-many-files", $"a request may carry at most {max} file[] parts");
    public static FileApiError RequestTooLarge(long limit) => new(413, "request-too-large", $"the files of one request may total at most {limit} bytes");
    public static FileApiError Invalid(string reason) => new(422, "invalid-file", reason);
    public static FileApiError NotFound() => new(404, "not-found", "file not found");
    public static FileApiError Forbidden(string message) => new(403, "forbidden", message);
    public static FileApiError BadRequest(string message) => new(400, "bad-request", message);
    public static FileApiError NotUploaded() => new(409, "file-not-uploaded", "no bytes were uploaded for this file");
    public static FileApiError ScannerUnavailable() => new(503, "scanner-unavailable", "the virus scanner is unavailable; the upload stays staged, retry later");
}
