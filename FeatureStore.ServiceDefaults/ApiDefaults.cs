using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Audit;
using FeatureStore.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The HTTP API conventions every service shares (docs/architecture.md, HTTP APIs): FastEndpoints under
/// <c>/api/v1</c>, RFC 9457 problem details for every error, strict JSON (wrong types and unknown
/// fields are 400s), an OpenAPI document at <c>/openapi/v1.json</c> and a reference page at <c>/scalar</c>.
/// FastEndpoints' configuration is process-wide (the first host's wins), which is one more reason
/// it lives here, once, for the services and the standalone host alike.
/// </summary>
public static class ApiDefaults
{
    public const string RoutePrefix = "api/v1";

    /// <summary>Registers the endpoints of the given service assemblies, and only those.</summary>
    public static TBuilder AddApiEndpoints<TBuilder>(this TBuilder builder, params Assembly[] serviceAssemblies)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddFastEndpoints(discovery =>
        {
            discovery.DisableAutoDiscovery = true;
            discovery.Assemblies = serviceAssemblies;
        });
        builder.Services.ConfigureHttpJsonOptions(json => ConfigureJson(json.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddTimeoutPolicies(builder.Configuration);
        builder.Services.AddOpenApi(openApi => openApi.AddOperationTransformer(OpenApiRoutes.DescribeAsync));
        builder.AddFeatureStoreAuth();
        builder.AddAuditTrail();
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.NumberHandling = JsonNumberHandling.Strict;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // {"project":"a","project":"b"} and {"Project":…} are mistakes to name, not values to pick between.
        json.AllowDuplicateProperties = false;
        json.PropertyNameCaseInsensitive = false;
        json.TypeInfoResolver = (json.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
            .WithAddedModifier(FeatureStore.Api.NullElements.Refuse);
        // Enums and instants as stored definitions and hand-written answers have them, so all read alike.
        FeatureStore.Domain.JsonConventions.AddConverters(json);
    }

    public static WebApplication UseApiEndpoints(this WebApplication app)
    {
        // Outermost, so the audit record carries the status the caller got (refusals and failures included).
        app.UseMiddleware<FeatureStore.Api.Audit.AuditMiddleware>();
        // Anything unhandled becomes a problem (a bare 500 with its trace id, no stack trace); so does an empty 404/405,
        // whatever the client's Accept says: an error is always application/problem+json.
        app.UseExceptionHandler(new ExceptionHandlerOptions { SuppressDiagnosticsCallback = ProblemExceptionHandler.IsClientError });
        app.UseStatusCodePages(ProblemExceptionHandler.WriteStatusProblemAsync);
        // Who is asking comes first: an anonymous caller learns nothing of an operation's shape (its parameters, its limits).
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<FeatureStore.Api.RequestShapes>(app.Configuration.GetValue("FeatureStore:Limits:RequestBodyBytes",
            FeatureStore.Api.RequestLimits.DefaultBodyBytes));
        app.UseRequestTimeouts();
        app.UseFastEndpoints(ConfigureFastEndpoints);
        app.MapOpenApi();
        app.MapScalarApiReference();
        return app;
    }

    private static void ConfigureFastEndpoints(Config config)
    {
        config.Endpoints.RoutePrefix = RoutePrefix;
        config.Endpoints.Configurator = endpoint =>
        {
            endpoint.PreProcessor<AccessCheck>(Order.Before);
            endpoint.PostProcessor<FeatureStore.Api.FieldErrorsPostProcessor>(Order.After);
        };
        config.Errors.UseProblemDetails(problems =>
        {
            problems.Map[404] = ("Not Found", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5");
            problems.Map[405] = ("Method Not Allowed", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6");
            problems.Map[406] = ("Not Acceptable", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.7");
            problems.Map[409] = ("Conflict", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10");
            problems.Map[410] = ("Gone", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.11");
            problems.Map[415] = ("Unsupported Media Type", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16");
            problems.Map[412] = ("Precondition Failed", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13");
            problems.Map[413] = ("Content Too Large", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14");
            problems.Map[429] = ("Too Many Requests", "https://www.rfc-editor.org/rfc/rfc6585#section-4");
            problems.Map[501] = ("Not Implemented", "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.2");
            problems.Map[503] = ("Service Unavailable", "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4");
            // Field names are JSON paths as the client wrote them ("features[0].type", not "Features[0].Type"),
            // and two different problems with one field are both reported.
            problems.ResponseBuilder = (failures, context, status) =>
            {
                // The trace id as ASP.NET's own problems and the traces carry it, so one id finds the request everywhere.
                var traceId = Activity.Current?.Id ?? context.TraceIdentifier;
                var problem = new FastEndpoints.ProblemDetails(failures, context.Request.Path, traceId, status);
                problem.Errors = failures.Select(f => (Name: JsonPath(f.PropertyName), Reason: f.ErrorMessage)).Distinct()
                    .Select(e => new FastEndpoints.ProblemDetails.Error { Name = e.Name, Reason = e.Reason }).ToList();
                return problem;
            };
        });
        config.Errors.ProducesMetadataType = typeof(ProblemDocument);
    }

    // Validator property names ("Features[0].Type") become JSON paths ("features[0].type"); a name with a
    // hyphen is a header ("If-Match") and stays as it is.
    public static string JsonPath(string propertyName) => propertyName.Contains('-') ? propertyName : string.Join('.',
        propertyName.Split('.').Select(segment => segment.Length == 0 ? segment : char.ToLowerInvariant(segment[0]) + segment[1..]));
}

/// <summary>The problem-details shape, as the OpenAPI document describes error responses.</summary>
public sealed record ProblemDocument(string Type, string Title, int Status, string Instance, string TraceId,
    string? Detail, IReadOnlyList<ProblemError> Errors);

public sealed record ProblemError(string Name, string Reason);
