import { describe, expect, it } from "vitest";
import { pytestFactsFrom, requiresPythonFrom } from "../../src/analyzer/python-project.js";

describe("pytestFactsFrom", () => {
  it("reads asyncio_mode from each kind of file", () => {
    expect(pytestFactsFrom([{ name: "pytest.ini", text: "[pytest]\nasyncio_mode = auto\n" }])).toEqual({ mode: "auto" });
    expect(pytestFactsFrom([{ name: "pyproject.toml", text: '[project]\nname = "x"\n\n[tool.pytest.ini_options]\nasyncio_mode = "auto"\n' }])).toEqual({ mode: "auto" });
    expect(pytestFactsFrom([{ name: "tox.ini", text: "[tox]\nenvlist = py311\n[pytest]\nasyncio_mode=auto\n" }])).toEqual({ mode: "auto" });
    expect(pytestFactsFrom([{ name: "setup.cfg", text: "[metadata]\nname = x\n[tool:pytest]\nasyncio_mode: auto  # fast\n" }])).toEqual({ mode: "auto" });
  });

  it("is strict when the configuration has no asyncio_mode, or names strict", () => {
    expect(pytestFactsFrom([{ name: "pyproject.toml", text: "[tool.pytest.ini_options]\naddopts = '-q'\n" }])).toEqual({ mode: "strict" });
    expect(pytestFactsFrom([{ name: "pytest.ini", text: "[pytest]\nasyncio_mode = strict\n" }])).toEqual({ mode: "strict" });
  });

  it("is null when no file configures pytest", () => {
    expect(pytestFactsFrom([])).toBeNull();
    expect(pytestFactsFrom([{ name: "pyproject.toml", text: "[tool.ruff]\nline-length = 100\n" }])).toBeNull();
    expect(pytestFactsFrom([{ name: "tox.ini", text: "[tox]\nenvlist = py311\n" }])).toBeNull();
    // setup.cfg's section is [tool:pytest]; a [pytest] section there is not read by pytest.
    expect(pytestFactsFrom([{ name: "setup.cfg", text: "[pytest]\nasyncio_mode = auto\n" }])).toBeNull();
  });

  it("follows pytest's precedence: pytest.ini (even empty) over pyproject.toml over tox.ini over setup.cfg", () => {
    const pyproject = { name: "pyproject.toml", text: "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n" };
    const tox = { name: "tox.ini", text: "[pytest]\nasyncio_mode = strict\n" };
    const setup = { name: "setup.cfg", text: "[tool:pytest]\nasyncio_mode = auto\n" };
    expect(pytestFactsFrom([setup, tox, pyproject, { name: "pytest.ini", text: "" }])).toEqual({ mode: "strict" });
    expect(pytestFactsFrom([setup, tox, pyproject])).toEqual({ mode: "auto" });
    expect(pytestFactsFrom([setup, tox])).toEqual({ mode: "strict" });
    expect(pytestFactsFrom([setup])).toEqual({ mode: "auto" });
  });

  it("reads asyncio_mode only inside the pytest section", () => {
    const text = "[tool.pytest.ini_options]\nminversion = '7.0'\n\n[tool.other]\nasyncio_mode = 'auto'\n";
    expect(pytestFactsFrom([{ name: "pyproject.toml", text }])).toEqual({ mode: "strict" });
  });

  it("never throws on odd input", () => {
    for (const text of ["[", "[[tool.pytest.ini_options]]\nasyncio_mode = auto", "\u0000\u0001", "[pytest\nasyncio_mode"]) {
      expect(() => pytestFactsFrom([{ name: "pytest.ini", text }, { name: "pyproject.toml", text }])).not.toThrow();
    }
  });
});

describe("requiresPythonFrom", () => {
  const pyproject = (spec: string) => `[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "x"\nrequires-python = "${spec}"\n`;

  it("gives the lowest version each form of specifier allows", () => {
    expect(requiresPythonFrom(pyproject(">=3.9"))).toEqual([3, 9]);
    expect(requiresPythonFrom(pyproject("~=3.10"))).toEqual([3, 10]);
    expect(requiresPythonFrom(pyproject(">3.8,<4"))).toEqual([3, 9]);
    expect(requiresPythonFrom(pyproject("==3.11.*"))).toEqual([3, 11]);
    expect(requiresPythonFrom(pyproject(">= 3.8.1, < 3.13"))).toEqual([3, 8]);
    expect(requiresPythonFrom(pyproject("<4, >=3.10"))).toEqual([3, 10]);
    expect(requiresPythonFrom("[project]\nrequires-python = '>=3.12'  # new\n")).toEqual([3, 12]);
  });

  it("is null without a lower bound, a [project] table or the key", () => {
    expect(requiresPythonFrom(pyproject("<3.13"))).toBeNull();
    expect(requiresPythonFrom(pyproject("!=3.9.0"))).toBeNull();
    expect(requiresPythonFrom("[tool.poetry.dependencies]\npython = '^3.9'\n")).toBeNull();
    expect(requiresPythonFrom("[tool.x]\nrequires-python = '>=3.9'\n")).toBeNull();
    expect(requiresPythonFrom("")).toBeNull();
    expect(requiresPythonFrom("[project\nrequires-python = ")).toBeNull();
  });
});
