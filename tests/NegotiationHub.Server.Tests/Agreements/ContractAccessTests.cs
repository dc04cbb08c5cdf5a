using System.Net;
using System.Net.Http.Json;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Agreements;

/// <summary>Who may read and write a contract, when there is none, and bad revision inputs: the status, the field, and nothing written.</summary>
public sealed class ContractAccessTests(ContractFixture fixture) : IClassFixture<ContractFixture>
{
    public enum Who
    {
        Coordinator,
        SecondCoordinatorNotInSession,
        Member,
        Auditor,
        Outsider,
        Anonymous,
    }

    public static TheoryData<Who, HttpStatusCode, HttpStatusCode> Access => new()
    {
        // who, GET, POST revisions / PUT tangible
        { Who.Member, HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { Who.Auditor, HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { Who.Outsider, HttpStatusCode.NotFound, HttpStatusCode.NotFound },
        { Who.SecondCoordinatorNotInSession, HttpStatusCode.NotFound, HttpStatusCode.NotFound },
        { Who.Anonymous, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized },
    };

    [Theory]
    [MemberData(nameof(Access))]
    public async Task Anyone_in_the_session_reads_the_contract_and_only_its_coordinators_change_it(Who who, HttpStatusCode read, HttpStatusCode write)
    {
        var id = await AgreedSessionWithPeriod1Async();
        var before = await fixture.StateAsync(id);
        var http = Client(who);

        Assert.Equal(read, (await http.GetAsync(ContractRevisionTests.Url(id))).StatusCode);
        Assert.Equal(write, (await http.PostAsJsonAsync($"{ContractRevisionTests.Url(id)}/revisions", new { expectedRevision = 0 })).StatusCode);
        Assert.Equal(write, (await http.PutAsJsonAsync($"{ContractRevisionTests.Url(id)}/tangible", TangibleSharesTests.HandExample(0))).StatusCode);

        Assert.Equal(before, await fixture.StateAsync(id));
    }

    [Fact]
    public async Task An_unknown_session_is_not_found()
    {
        var url = ContractRevisionTests.Url(Guid.NewGuid());

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Coordinator.Http.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Coordinator.Http.PostAsJsonAsync($"{url}/revisions", new { expectedRevision = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Coordinator.Http.PutAsJsonAsync($"{url}/tangible", TangibleSharesTests.HandExample(0))).StatusCode);
    }

    [Fact]
    public async Task Before_agreement_there_is_no_contract_to_read_or_revise()
    {
        var id = await Negotiations.CreateSessionAsync(fixture.Coordinator);
        var before = await fixture.StateAsync(id);

        var read = await fixture.Coordinator.Http.GetAsync(ContractRevisionTests.Url(id));
        var revise = await ContractRevisionTests.Revise(fixture.Coordinator, id, new { expectedRevision = 0 });
        var tangible = await fixture.Coordinator.Http.PutAsJsonAsync($"{ContractRevisionTests.Url(id)}/tangible", TangibleSharesTests.HandExample(0));

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Contains("no contract yet", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, revise.StatusCode);
        Assert.Contains("no contract yet", await revise.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, tangible.StatusCode);
        Assert.Equal(before, await fixture.StateAsync(id));
    }

    [Fact]
    public async Task A_closed_sessions_contract_can_be_read_but_not_revised()
    {
        var id = await AgreedSessionWithPeriod1Async();
        var closed = await fixture.Coordinator.Http.PostAsync($"/api/sessions/{id}/close", null);
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());
        var before = await fixture.StateAsync(id);

        Assert.Equal(HttpStatusCode.OK, (await fixture.Auditor.Http.GetAsync(ContractRevisionTests.Url(id))).StatusCode);
        var revise = await ContractRevisionTests.Revise(fixture.Coordinator, id, new { expectedRevision = 0 });

        Assert.Equal(HttpStatusCode.Conflict, revise.StatusCode);
        Assert.Contains("closed", await revise.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.StateAsync(id));
    }

    public static TheoryData<string, string> BadRevisions => new()
    {
        { """{}""", "expectedRevision" },
        { """{"expectedRevision":-1}""", "expectedRevision" },
        { """{"expectedRevision":"zero"}""", "expectedRevision" },
        { """{"expectedRevision":0.5}""", "expectedRevision" },
        { """{"expectedRevision":0,"lambda":0}""", "lambda" },
        { """{"expectedRevision":0,"lambda":1.5}""", "lambda" },
        { """{"expectedRevision":0,"lambda":-0.5}""", "lambda" },
        { """{"expectedRevision":0,"lambda":"NaN"}""", "lambda" },
        { """{"expectedRevision":0,"lambda":"Infinity"}""", "lambda" },
        { """{"expectedRevision":0,"period":2}""", "period" },
        { """{"expectedRevision":0,"period":-1}""", "period" },
        { """{"expectedRevision":0,"proposedShares":[0.5,0.5]}""", "proposedShares" },
        { """{"expectedRevision":0,"proposedShares":[0.4,0.2,0.2,0.2,0]}""", "proposedShares" },
        { """{"expectedRevision":0,"proposedShares":[0.5,"NaN",0.25,0.25]}""", "proposedShares[1]" },
        { """{"expectedRevision":0,"proposedShares":[0.6,-0.1,0.25,0.25]}""", "proposedShares[1]" },
        { """{"expectedRevision":0,"proposedShares":[0.3,0.3,0.3,0.3]}""", "proposedShares" },
        { """{"expectedRevision":0,"proposedShares":"all"}""", "proposedShares" },
        { """{"expectedRevision":0,"lambda":0.5,"proposedShares":[0.5,0.1666666666666667,0.1666666666666667,0.1666666666666666]}""", "lambda" },
        { """[1,2]""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadRevisions))]
    public async Task A_bad_revision_input_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        var id = await SharedSessionAsync();
        var before = await fixture.StateAsync(id);

        var response = await fixture.Coordinator.Http.PostJsonAsync($"{ContractRevisionTests.Url(id)}/revisions", body);

        await HttpAssert.ValidationProblemAsync(response, field);
        Assert.Equal(before, await fixture.StateAsync(id));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_and_writes_nothing()
    {
        var id = await SharedSessionAsync();
        var before = await fixture.StateAsync(id);

        var response = await fixture.Coordinator.Http.PostAsync($"{ContractRevisionTests.Url(id)}/revisions", new StringContent("expectedRevision=0"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(before, await fixture.StateAsync(id));
    }

    private Task<Guid> SharedSessionAsync() => fixture.SharedSessionAsync();

    private async Task<Guid> AgreedSessionWithPeriod1Async()
    {
        var id = await fixture.CreateAgreedSessionAsync(tangiblePool: 1200);
        await fixture.RecordStrengthsAsync(id, 1, 4);
        return id;
    }

    private HttpClient Client(Who who) => who switch
    {
        Who.Coordinator => fixture.Coordinator.Http,
        Who.SecondCoordinatorNotInSession => fixture.SecondCoordinator.Http,
        Who.Member => fixture.Members[0].Http,
        Who.Auditor => fixture.Auditor.Http,
        Who.Outsider => fixture.Outsider.Http,
        _ => fixture.Server.Anonymous(),
    };
}
