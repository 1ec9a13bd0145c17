using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Admin;

public sealed class AuditRequest
{
    [QueryParam] public string? Principal { get; set; }
    [QueryParam] public string? Action { get; set; }
    [QueryParam] public string? Object { get; set; }
    [QueryParam] public string? Project { get; set; }
    [QueryParam] public string? Outcome { get; set; }
    [QueryParam] public DateTimeOffset? Start { get; set; }
    [QueryParam] public DateTimeOffset? End { get; set; }
    [QueryParam] public long? Before { get; set; }
    [QueryParam] public int? Limit { get; set; }
}

/// <summary>
/// <c>GET /api/v1/admin/audit</c> (admins): the audit log, newest first, filtered by principal (key id or subject), action,
/// object or feature (a name anywhere in either list), project, outcome and time (<c>start</c> ≤ at &lt; <c>end</c>); pages of
/// <c>limit</c> (100, at most 1,000) continued with <c>before</c>.
/// </summary>
[Access(FeatureAction.Admin)]
public sealed class ListAuditRecords(IAuditStore audit) : Endpoint<AuditRequest, AuditPageDto>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public override void Configure() => Get("admin/audit");

    public override async Task HandleAsync(AuditRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? DefaultLimit;
        var records = await audit.FindAuditAsync(new AuditQuery(request.Principal, request.Action, request.Object, request.Project,
            request.Outcome, request.Start, request.End, request.Before, limit), ct);
        await Send.OkAsync(new AuditPageDto(records, records.Count == limit ? records[^1].Sequence : null), ct);
    }
}

public sealed class AuditRequestValidator : Validator<AuditRequest>
{
    public AuditRequestValidator()
    {
        RuleFor(r => r.Principal).MaximumLength(256);
        RuleFor(r => r.Object).MaximumLength(256);
        RuleFor(r => r.Action).Must(a => a is "apply" || AccessRules.TryParseGrantable(a, out _) || a == "internal")
            .WithMessage($"must be apply, internal or one of {string.Join(", ", AccessRules.GrantableNames)}")
            .When(r => r.Action is not null);
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Outcome).Must(o => AuditOutcome.All.Contains(o)).When(r => r.Outcome is not null)
            .WithMessage($"must be one of {string.Join(", ", AuditOutcome.All)}");
        RuleFor(r => r.End).GreaterThan(r => r.Start).When(r => r.Start is not null && r.End is not null)
            .WithMessage("must be after start");
        RuleFor(r => r.Before).GreaterThan(0).When(r => r.Before is not null);
        RuleFor(r => r.Limit).InclusiveBetween(1, ListAuditRecords.MaxLimit).When(r => r.Limit is not null);
    }
}
