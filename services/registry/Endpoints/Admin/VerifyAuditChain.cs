using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Admin;

/// <summary>
/// <c>GET /api/v1/admin/audit/verify</c> (admins): walks the audit chain from its first record, recomputing every hash
/// (<see cref="AuditChain"/>); answers whether it is intact and, if not, the first record that breaks it (changed, removed
/// or put out of order) and why.
/// </summary>
[Access(FeatureAction.Admin)]
public sealed class VerifyAuditChain(IAuditStore audit) : EndpointWithoutRequest<AuditVerificationDto>
{
    private const int Page = 1000;

    public override void Configure() => Get("admin/audit/verify");

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (previous, expected, count) = (AuditChain.Genesis, 1L, 0L);
        while (true)
        {
            var page = await audit.ReadAuditAsync(expected - 1, Page, ct);
            foreach (var record in page)
            {
                var reason = record.Sequence != expected ? $"record {expected} is missing (the next is {record.Sequence})"
                    : AuditChain.Break(previous, record);
                if (reason is not null)
                {
                    await Send.OkAsync(new AuditVerificationDto(false, count, previous, new AuditBreakDto(expected, reason)), ct);
                    return;
                }
                (previous, expected, count) = (record.Hash, expected + 1, count + 1);
            }
            if (page.Count < Page) break;
        }
        // Records cut from the end leave an intact but shorter chain: the head, written with every append, says how long it is.
        var head = await audit.AuditHeadAsync(ct);
        var cut = head.Sequence != count || head.Hash != previous
            ? new AuditBreakDto(count + 1, $"the chain ends at record {count}, but its end was record {head.Sequence}") : null;
        await Send.OkAsync(new AuditVerificationDto(cut is null, count, previous, cut), ct);
    }
}
