using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests;

public class CompilerTests
{
    [Fact]
    public void Compile_PlainScriptWithFunctions_FindsHandlers()
    {
        var script = Scripts.Compile("function onMessage(message, ctx) {}");

        Assert.True(script.HandlesMessage);
        Assert.False(script.HandlesSchedule);
        Assert.Null(script.Schedule);
        Assert.False(script.IsModule);
    }

    [Fact]
    public void Compile_ModuleWithExports_FindsHandlersAndSchedule()
    {
        var script = Scripts.Compile("""
            export const schedule = { daily: "09:00", timeZone: "Europe/Berlin" };
            export function onSchedule(ctx) {}
            export const onMessage = (message, ctx) => {};
            """);

        Assert.True(script.IsModule);
        Assert.True(script.HandlesMessage);
        Assert.True(script.HandlesSchedule);
        Assert.Equal(new TimeOnly(9, 0), script.Schedule!.DailyAt);
        Assert.Equal("Europe/Berlin", script.Schedule.TimeZone.Id);
    }

    [Fact]
    public void Compile_TopLevelConstHandlerInScript_FindsIt()
    {
        var script = Scripts.Compile("const schedule = { everyMinutes: 15 };\nconst onSchedule = ctx => {};");

        Assert.True(script.HandlesSchedule);
        Assert.Equal(15, script.Schedule!.EveryMinutes);
    }

    [Fact]
    public void Compile_SyntaxError_GivesLineAndColumn()
    {
        var error = Scripts.CompileError("function onMessage(message, ctx) {\n  let x = ;\n}");

        Assert.Equal("syntax-error", error.Kind);
        Assert.Equal(2, error.Line);
        Assert.Equal(11, error.Column);
    }

    [Fact]
    public void Compile_SyntaxErrorInModule_GivesTheModulesError()
    {
        var error = Scripts.CompileError("export function onMessage(message, ctx) {\n  ctx.log(;\n}");

        Assert.Equal("syntax-error", error.Kind);
        Assert.Equal(2, error.Line);
        Assert.DoesNotContain("sourceType", error.Message, StringComparison.Ordinal);
    }
}
