"""The p95 fan-out latency against the number of watching browsers: the app and the baseline, in both scenarios
(steady audience; pages arriving), every run of the fan-out (matplotlib, PNG)."""

from pathlib import Path
from typing import Any

SIDES = {
    'ours': ('this app', 'tab:blue'),
    'baseline': ('baseline', 'tab:red'),
}
SCENARIO_STYLES = {'steady': ('o', '-'), 'arriving': ('s', '--')}
BASELINE_WORDS = {'node': 'Node.js + Express + Socket.IO', 'python': 'FastAPI + python-socketio'}


def fan_out_plot(fanout: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7.5, 4.5), dpi=120)
    baseline = BASELINE_WORDS.get(fanout.get('baseline_kind', 'node'), 'baseline')
    for number, run in enumerate(fanout['runs']):
        for kind, (name, colour) in SIDES.items():
            for scenario, (marker, line) in SCENARIO_STYLES.items():
                levels = [lv for lv in run.get(kind, {}).get('levels', []) if lv['scenario'] == scenario]
                if not levels:
                    continue
                label = f'{name if kind == "ours" else baseline}, {scenario}' if number == 0 else None
                axis.plot(
                    [lv['watching'] for lv in levels],
                    [lv['p95_ms'] for lv in levels],
                    marker=marker,
                    linestyle=line,
                    color=colour,
                    alpha=1.0 if number == 0 else 0.5,
                    label=label,
                )
    axis.axhline(150, color='grey', linewidth=0.8, linestyle=':', label='goal at N = 1000: 150 ms')
    runs = len(fanout['runs'])
    axis.set_xlabel(f'browsers watching the changed day (plus {fanout["others"]} on other days and doctors)')
    axis.set_ylabel('p95 time to update (ms)')
    axis.set_xscale('log')
    axis.set_yscale('log')
    title = 'Live fan-out: p95 latency of one Chromium click'
    axis.set_title(title + (f' ({runs} runs; later runs paler)' if runs > 1 else ''))
    axis.grid(True, which='both', linewidth=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
