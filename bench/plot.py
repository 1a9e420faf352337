"""The p95 fan-out latency against the number of watching browsers, ours and the baseline (matplotlib, PNG)."""

from pathlib import Path
from typing import Any


def fan_out_plot(fanout: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4.2), dpi=120)
    for kind, label, style in (
        ('ours', 'this app: one computation per day, pushed to its watchers', 'o-'),
        ('baseline', 'baseline: broadcast to all, every browser refetches', 's--'),
    ):
        levels = fanout[kind]['levels']
        axis.plot([lv['watching'] for lv in levels], [lv['p95_ms'] for lv in levels], style, label=label)
    axis.axhline(150, color='grey', linewidth=0.8, linestyle=':', label='target at 1000: 150 ms')
    axis.set_xlabel(f'browsers watching the changed day (plus {fanout["others"]} on other days and doctors)')
    axis.set_ylabel('p95 time to update (ms)')
    axis.set_xscale('log')
    axis.set_yscale('log')
    axis.set_title('Live fan-out: p95 latency of one change')
    axis.grid(True, which='both', linewidth=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
