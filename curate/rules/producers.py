"""BBJ5xx and BBJ6xx: codes that the compile check (`curate.compile`, `curate.bbjsyntax`) and
near-duplicate detection (`curate.dedupe`) emit. Catalogued here so `bbj-curate rules`, SARIF
rule lists, select/ignore, severity overrides and `lint_ignore` know every code; the producers
keep their own constants, and a test checks that both agree."""

from __future__ import annotations

from curate.diagnostics import Severity
from curate.rules.base import CatalogueRule


class SyntaxUnexpectedToken(CatalogueRule):
    """The built-in checker found a token that cannot stand there.

    Bad:
        total = price tax
    Good:
        total = price + tax
    """

    code = "BBJ501"
    name = "syntax-unexpected-token"
    summary = "Unexpected token or invalid statement (built-in checker)"


class SyntaxUnbalancedBracket(CatalogueRule):
    """A `(` or `[` is never closed on its logical line, or a closer has no opener.

    Bad:
        print str(x
    Good:
        print str(x)
    """

    code = "BBJ502"
    name = "syntax-unbalanced-bracket"
    summary = "Unbalanced bracket or parenthesis (built-in checker)"


class SyntaxUnterminatedString(CatalogueRule):
    """A string literal runs to the end of the line (a quote inside is written `""`).

    Bad:
        print "Say "hi" now"
    Good:
        print "Say ""hi"" now"
    """

    code = "BBJ503"
    name = "syntax-unterminated-string"
    summary = "Unterminated string literal (built-in checker)"


class SyntaxUnclosedBlock(CatalogueRule):
    """A block opener has no end: reported at the opener.

    Bad:
        while x < 10
            x = x + 1
    Good:
        while x < 10
            x = x + 1
        wend
    """

    code = "BBJ504"
    name = "syntax-unclosed-block"
    summary = "Block opener without its end, e.g. CLASS without CLASSEND (built-in checker)"


class SyntaxStrayBlockEnd(CatalogueRule):
    """A block end closes nothing, or closes the wrong block.

    Bad:
        for i = 1 to 3
        wend
    Good:
        for i = 1 to 3
        next i
    """

    code = "BBJ505"
    name = "syntax-stray-block-end"
    summary = "Block end without opener, or closing the wrong block (built-in checker)"


class SyntaxUnclosedIf(CatalogueRule):
    """A multi-line IF is never closed with FI/ENDIF, or an ELSE has no open multi-line IF.
    BASIS's compiler accepts both (shipped AddonSoftware programs have such IFs, whose block
    runs on to the end of the enclosing loop, subroutine or file, and such ELSEs), so this is
    a warning, not an error.

    Bad:
        if qty > 0
            total = total + qty
        wend
    Good:
        if qty > 0
            total = total + qty
        fi
        wend
    """

    code = "BBJ506"
    name = "syntax-unclosed-if"
    summary = "IF block without FI/ENDIF, ELSE without IF: compiles, so a warning (built-in)"
    severity = Severity.WARNING


class FabricatedSyntax(CatalogueRule):
    """JavaScript, Java, VB or Python syntax that BBj does not have, the kind models invent.

    Bad:
        button!.addEventListener("click", handler)  // JavaScript
    Good:
        button!.setCallback(button!.ON_BUTTON_PUSH, "onPush")
    """

    code = "BBJ510"
    name = "fabricated-syntax"
    summary = "JavaScript/Java/VB/Python construct that BBj does not have"


class UnknownApiMethod(CatalogueRule):
    """A method called on a well-known BBj class that the class does not have.

    Bad:
        window! = sysgui!.createWindow(10, 10, 200, 100, "Hi")
    Good:
        window! = sysgui!.addWindow(10, 10, 200, 100, "Hi")
    """

    code = "BBJ511"
    name = "unknown-api-method"
    summary = "Call of a method that a well-known BBj class does not have"


class SyntaxCheckerLimit(CatalogueRule):
    """The code is outside the built-in checker's limits (over 8 MB, nested over 1000 levels,
    binary): it is reported once and not checked further.

    Bad:
        a code block of 10 MB
    Good:
        a program of a few hundred lines
    """

    code = "BBJ512"
    name = "syntax-checker-limit"
    summary = "Code too large, too deep or not text for the built-in checker"


class CompileError(CatalogueRule):
    """BASIS's `bbjcpl -N` reported an error on this line.

    Bad:
        print "total: ", str(x     (bbjcpl: error at line 3 (3))
    Good:
        print "total: ", str(x)
    """

    code = "BBJ520"
    name = "compile-error"
    summary = "bbjcpl reports a compile error on this line"


class CompilerTimeout(CatalogueRule):
    """bbjcpl did not finish within `compile-timeout` seconds and was killed.

    Bad:
        compile-timeout = 0.01 with a slow bbjcpl
    Good:
        compile-timeout = 10 (the default)
    """

    code = "BBJ521"
    name = "compiler-timeout"
    summary = "bbjcpl did not finish within the timeout"


class CheckerCouldNotRun(CatalogueRule):
    """The checker could not run: bbjcpl missing or not executable, bbjcpl exiting non-zero
    without an error line (a missing Java), or the built-in checker failing.

    Bad:
        bbjcpl = "/opt/bbj/bin/bbjcpl"   (no such file)
    Good:
        bbjcpl = "/usr/local/basis/bin/bbjcpl"
    """

    code = "BBJ522"
    name = "checker-could-not-run"
    summary = "The compile checker could not run"


class UnparseableCompilerOutput(CatalogueRule):
    """bbjcpl printed stderr lines that are not in its error format; the raw text is shown.

    Bad:
        Picked up JAVA_TOOL_OPTIONS: ...  (a JVM banner on stderr)
    Good:
        a bbjcpl whose stderr holds only its error lines
    """

    code = "BBJ523"
    name = "unparseable-compiler-output"
    summary = "bbjcpl printed output that is not in its error format"


class UnsafeProgramFileName(CatalogueRule):
    """A `<!-- filename: -->` comment names a file that cannot be placed in the private folder
    where the program is compiled.

    Bad:
        <!-- filename: ../../etc/profile.bbj -->
    Good:
        <!-- filename: lib/Customer.bbj -->
    """

    code = "BBJ524"
    name = "unsafe-program-file-name"
    summary = "Program file name escapes the compile folder"


class NearDuplicate(CatalogueRule):
    """The example is a near duplicate (MinHash Jaccard at or over `dedupe-threshold`) of
    another one; reported on every cluster member but the keeper.

    Bad:
        two examples that differ only in a variable name and one word of prose
    Good:
        one of them, or two examples that teach different things
    """

    code = "BBJ601"
    name = "near-duplicate"
    summary = "Near duplicate of another example"


class ExactDuplicate(CatalogueRule):
    """The example equals another after normalization (case, spacing, punctuation of prose).

    Bad:
        a copy of an example with its title re-cased
    Good:
        one copy
    """

    code = "BBJ602"
    name = "exact-duplicate"
    summary = "Exact duplicate of another example after normalization"
