using System.Buffers;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Endpoints.Objects;
using FeatureStore.Registry.Sources;
using FeatureStore.Registry.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace FeatureStore.Registry.Endpoints.Sources;

/// <summary>
/// <c>PUT /api/v1/data-sources/{name}/file?project=</c>: the body (Parquet, or CSV with a header row) becomes the batch
/// source's data at its path, replacing what was there, once it has been checked against the source's schema and
/// timestamp fields (or, without a schema, against the feature views that read it). A file that fails a check
/// changes nothing. Only a path under the project's own prefix is written (<see cref="SourceScope.WriteRefusal"/>): 403.
/// </summary>
[Access(FeatureAction.WriteOffline)]
public sealed class UploadSourceFile(IDefinitionStore store, SourceUploads uploads) : Endpoint<UploadSourceFileRequest, SourceFileDto>
{
    private const int BufferSize = 81920;

    public override void Configure()
    {
        Put("data-sources/{name}/file");
        RequestBinder(new UploadSourceFileBinder());
        Options(route => route.WithMetadata(BodyLimit.SetByEndpoint).WithRequestTimeout(TimeoutPolicies.Long));
        // Without this, routing would answer other content types than JSON with a bare 415; the handler's own 415 names the field.
        Description(d => d.ClearDefaultAccepts()
            .Produces<SourceFileDto>(200, "application/json")
            .Produces<ProblemDocument>(400, "application/problem+json").Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(413, "application/problem+json").Produces<ProblemDocument>(415, "application/problem+json"));
    }

    public override async Task HandleAsync(UploadSourceFileRequest request, CancellationToken ct)
    {
        var format = SourceFileFormats.FromContentType(HttpContext.Request.ContentType)
            ?? throw new FieldErrorsException(415, [new FieldError("Content-Type",
                $"must be {SourceFileFormats.Accepted}, not '{HttpContext.Request.ContentType ?? "none"}'")]);
        var project = Names.ProjectOrDefault(request.Project);
        var source = await store.FindObjectAsync(project, ObjectKind.DataSource, request.Name, null, ct) is { Deleted: false } found
            ? found.Read<DataSourceDefinition>() : null;
        if (source is null) ThrowError(r => r.Name, $"data source '{request.Name}' does not exist in project '{project}'", 404);
        if (source.SourceKind == SourceKind.Push)
            ThrowError(r => r.Name, $"'{source.Name}' is a push source: upload its history to its batch source '{source.BatchSource}'");
        // A source may read what another project shares, but an upload replaces the object: only the project's own prefix.
        if (SourceScope.WriteRefusal(project, source.Path) is { } refusal)
            throw new ForbiddenException([new FieldError("name", $"data source '{source.Name}' takes no upload here: {refusal}")]);
        if (HttpContext.Request.ContentLength > uploads.MaxBytes) throw TooLarge();

        var work = uploads.NewWorkDirectory();
        try
        {
            var file = await ReceiveAsync(work, format, ct);
            await Send.OkAsync(await uploads.StoreAsync(source, file, format, work, ct), ct);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { } // a file still open elsewhere: the next upload's directory is a new one anyway
        }
    }

    /// <summary>Streams the body to a file in the work directory, never more than the limit, never whole in memory.</summary>
    private async Task<string> ReceiveAsync(string work, SourceFileFormat format, CancellationToken ct)
    {
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = uploads.MaxBytes;
        var file = Path.Combine(work, format == SourceFileFormat.Csv ? "received.csv" : "received.parquet");
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long received = 0;
        try
        {
            await using var target = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            int read;
            while ((read = await HttpContext.Request.Body.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
            {
                // Counted here as well as by the server's limit: a body without Content-Length is refused as soon as it passes it.
                if ((received += read) > uploads.MaxBytes) throw TooLarge();
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own refusals of the body: over its limit (413), or a body that ends before its Content-Length.
            throw e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge()
                : FieldErrors.Invalid(SourceFileChecks.FileField, $"could not be received: {e.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (received == 0)
            throw FieldErrors.Invalid(SourceFileChecks.FileField,
                $"is empty: send the source's data as the body ({SourceFileFormats.Accepted})");
        return file;
    }

    private FieldErrorsException TooLarge() => new(StatusCodes.Status413PayloadTooLarge,
        [new FieldError(SourceFileChecks.FileField,
            $"is larger than the upload limit of {uploads.MaxBytes} bytes (FeatureStore:Uploads:MaxBytes)")]);
}
