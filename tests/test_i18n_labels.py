"""cnncourse in Chinese: one setting (CNNCOURSE_LANG=zh) turns every label, message and figure text
into Chinese from the package's catalog, and English stays exactly as it was."""

from __future__ import annotations

import io
import re
import warnings

import matplotlib
import numpy as np
import pytest
from babel.messages.pofile import read_po

import cnncourse
from cnncourse.figures import fonts
from cnncourse.figures.fonts import cjk_font, use_cjk_font
from cnncourse.i18n import translate as i18n
from cnncourse.i18n.translate import CATALOG, HANZI, extract, language, missing, set_language, tr

CJK = re.compile(f"[{HANZI}]")
PLACEHOLDER = re.compile(r"\{(\w*)\}")


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "zh")
    monkeypatch.delenv(i18n.STRICT_ENV, raising=False)
    yield
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    use_cjk_font()  # English again: matplotlib's own font list back


@pytest.fixture
def en(monkeypatch):
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    use_cjk_font()


def catalog_messages():
    with open(CATALOG, "rb") as file:
        return [m for m in read_po(file) if m.id]


# -- the setting ---------------------------------------------------------------------------


def test_english_is_the_default_and_tr_is_the_identity(en):
    assert language() == "en"
    for text in ("padding", "Play", "step 1 / 9", "block3_conv3 map", "nothing like this is in the catalog"):
        assert tr(text) is text


@pytest.mark.parametrize("value, expected", [("en", "en"), ("zh", "zh"), ("zh_CN", "zh"), ("zh-CN", "zh"), ("", "en")])
def test_the_language_setting_accepts_these_values(monkeypatch, value, expected):
    monkeypatch.setenv(i18n.LANG_ENV, value)
    assert language() == expected


def test_a_bad_language_setting_names_the_variable_and_the_valid_values(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "fr")
    with pytest.raises(ValueError, match=r"CNNCOURSE_LANG must be one of 'en', 'zh', 'zh_CN', 'zh-CN', got 'fr'"):
        tr("padding")
    with pytest.raises(ValueError, match="CNNCOURSE_LANG must be one of"):
        set_language("de")


def test_set_language_sets_the_variable(monkeypatch):
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    set_language("zh")
    assert language() == "zh" and tr("padding") == "填充"
    set_language("en")
    assert tr("padding") == "padding"


# -- the catalog ---------------------------------------------------------------------------


def test_every_literal_passed_to_tr_in_the_package_has_a_translation():
    literals = extract()
    assert len(literals) > 60 and "kernel" in literals and "Play" in literals
    assert missing() == []


def test_every_message_is_translated_and_keeps_its_placeholders():
    messages = catalog_messages()
    assert len(messages) >= 300
    for message in messages:
        assert message.string and not message.fuzzy, message.id
        assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id
        assert i18n._CJK.search(message.string) or message.string == message.id, message.id


def test_templates_match_text_built_at_run_time(zh):
    assert tr("block3_conv3 map") == "block3_conv3 的特征图"
    assert tr("leaky ReLU (slope 0.2)") == "leaky ReLU（斜率 0.2）"
    assert tr("after 10 epochs") == "10 个轮次之后"  # the most specific template wins over "after {label}"
    assert tr("output (mean pooling)") == "输出（平均池化）"  # the captured word is translated too


def test_numbers_symbols_and_code_names_need_no_entry(zh, monkeypatch):
    monkeypatch.setenv(i18n.STRICT_ENV, "1")
    for text in ("3 × 3", "0.25", "block3_conv3", "ReLU", "VGG16", "f'(x)", "x", "Grad-CAM", "已是中文"):
        assert tr(text) == text


def test_strict_mode_names_the_missing_label_and_the_catalog(zh, monkeypatch):
    assert tr("a label nobody translated") == "a label nobody translated"
    monkeypatch.setenv(i18n.STRICT_ENV, "1")
    with pytest.raises(LookupError, match=r"no Chinese translation of 'a label nobody translated' in .*cnncourse\.po"):
        tr("a label nobody translated")


@pytest.mark.parametrize("call, english, words", [
    (lambda: cnncourse.conv2d(np.ones((4, 4)), np.ones((2, 2)), padding=-1), "padding must be >= 0",
     ["填充", "必须 >= 0", "-1"]),
    (lambda: cnncourse.conv2d(np.ones((4, 4)), np.ones((2, 2)), stride=0), "stride must be >= 1", ["步幅", "必须 >= 1"]),
    (lambda: cnncourse.pool2d(np.ones((3, 3)), 4), "window 4x4 is larger", ["4x4 的窗口大于输入（3x3）"]),
    (lambda: cnncourse.pool2d(np.ones((4, 4)), 2, mode="median"), "unknown mode 'median'",
     ["未知的模式 'median'", "'max', 'avg'"]),
])
def test_real_error_messages_come_out_in_chinese_naming_the_parameter(zh, call, english, words):
    with pytest.raises(ValueError, match=english) as error:
        call()
    message = tr(str(error.value))
    assert all(word in message for word in words), message


# -- figures -------------------------------------------------------------------------------


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def _draw_without_missing_glyphs(fig) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would fail here
        fig.savefig(io.BytesIO(), format="png")


def _chapter_figures():
    rng = np.random.default_rng(0)
    history = {"train_loss": [1.0, 0.5], "val_loss": [0.9, 0.6], "train_accuracy": [0.5, 0.8], "val_accuracy": [0.6, 0.8]}
    return {
        "image_grid": cnncourse.image_grid([np.eye(4), -np.eye(4)], titles=["photo", "block3_conv3 map"],
                                           title="Training images, three per class", signed=True),
        "plot_matrix": cnncourse.plot_matrix(np.eye(3), window=(0, 0, 2, 2), title="kernel").figure,
        "plot_activations": cnncourse.plot_activations(["sigmoid", "leaky_relu"]),
        "plot_history": cnncourse.plot_history(history, title="Loss and accuracy while training"),
        "plot_objective": cnncourse.plot_objective({"classic": rng.random((5, 3)), "jitter + blur": rng.random((5, 3))},
                                                   title="block4_conv1: the objective with and without regularization"),
        "plot_feature_maps": cnncourse.plot_feature_maps({"block1_conv2\nuntrained": rng.random((4, 5, 5))}, [0, 1],
                                                         title="WARNING: untrained network (random weights), "
                                                                  "not what VGG16 learned on ImageNet"),
        "plot_filter_rows": cnncourse.plot_filter_rows([rng.random((3, 3, 3))], ["before training"],
                                                       title="The 8 filters of conv1"),
        "plot_class_responses": cnncourse.plot_class_responses(rng.random((2, 4)), ["ring", "corner"],
                                                               title="Mean response of the 32 channels of relu3, per class"),
    }


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed (apt-get install fonts-noto-cjk)")
def test_every_plotting_helper_draws_chinese_labels_without_missing_glyphs(zh, monkeypatch):
    monkeypatch.setenv(i18n.STRICT_ENV, "1")
    for name, fig in _chapter_figures().items():
        _draw_without_missing_glyphs(fig)
        assert any(CJK.search(text) for text in _texts(fig)), (name, _texts(fig))
    assert cjk_font() in matplotlib.rcParams["font.family"]


def test_english_figures_keep_their_english_labels_and_fonts(en):
    figures = _chapter_figures()
    assert not any(CJK.search(text) for fig in figures.values() for text in _texts(fig))
    assert "channel 0" in _texts(figures["plot_feature_maps"]) and matplotlib.rcParams["font.family"] == ["sans-serif"]


def test_an_english_figure_is_byte_identical_after_a_chinese_one(en, monkeypatch):
    def png():
        buffer = io.BytesIO()
        cnncourse.image_grid([np.eye(4)], titles=["kernel"]).savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()

    before = png()
    monkeypatch.setenv(i18n.LANG_ENV, "zh")
    assert "卷积核" in _texts(cnncourse.image_grid([np.eye(4)], titles=["kernel"]))
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    use_cjk_font()
    assert png() == before


def test_responsive_figure_alt_text_is_translated_when_shown(zh):
    alt = ("Three grayscale close-ups of the cat's face: the original, a slightly softer blurred version, "
           "and a sharpened version with crisper fur and whiskers.")
    figure = cnncourse.ResponsiveFigure(cnncourse.image_grid([np.eye(2)]), cnncourse.image_grid([np.eye(2)]), alt=alt)
    assert 'alt="猫脸的三张灰度特写' in figure._repr_html_()


# -- widgets, players, feedback, banner ---------------------------------------------------------


def test_widgets_show_chinese_labels_and_a_chinese_message_for_a_bad_value(zh):
    explorer = cnncourse.ConvolutionExplorer()  # computed in the browser: its labels go to cnn-live-zh.js
    assert (explorer.labels["padding"], explorer.labels["stride"], explorer.labels["kernel"]) == ("填充", "步幅", "卷积核")
    assert explorer.labels["your picture"] == "你的图片" and explorer.labels["camera"] == "摄像头"
    assert explorer.labels["vertical edge"] == "竖直边缘"  # the presets keep their names as values
    explorer.show("The classic example, step by step")
    assert explorer.title == "经典示例，逐步演示"
    pooling = cnncourse.PoolingExplorer()
    assert pooling.modes[0] == ["最大", "max"] and "的窗口大于输入" in tr("window 9x9 is larger than the input (6x6): the window must fit")


def test_the_player_speaks_chinese_and_english_stays_as_it_was(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    english = cnncourse.ConvolutionExplorer().to_player("The classic example, step by step")
    html = english._repr_html_()
    assert "step 1 / 9" in html and ">Play</button>" in html and '"step " + (i + 1)' in html
    assert "labels" not in english.live
    monkeypatch.setenv(i18n.LANG_ENV, "zh")
    html = english._repr_html_()
    assert "第 1 / 9 步" in html and ">播放</button>" in html and "经典示例，逐步演示" in html
    assert '"\\u7b2c {step} / {steps} \\u6b65"' in html or '"第 {step} / {steps} 步"' in html
    live = cnncourse.ConvolutionExplorer().live_config()
    assert live["labels"]["padding"] == "填充" and CJK.search(live["note"])
    monkeypatch.setenv(i18n.LANG_ENV, "en")


def test_every_label_of_the_in_browser_explorers_has_a_translation():
    from cnncourse.widgets.base import LIVE_LABELS

    exact = {m.id for m in catalog_messages()}
    assert [label for label in LIVE_LABELS if label not in exact] == []


def test_exercise_feedback_and_the_weights_banner_in_chinese(zh):
    from cnncourse.exercises import check_conv_by_hand, check_output_shape
    from cnncourse.figures.html import feedback_html, weights_banner_html

    assert repr(check_conv_by_hand(None)) == "✏️ 还没有答案。 把 None 换成你的答案，然后重新运行这个单元格。"
    assert "✅ 正确。" in feedback_html(check_output_shape((112, 112)))
    assert "不对" in repr(check_output_shape((111, 112)))
    banner = weights_banner_html(cnncourse.weights_banner("random"))
    assert "⚠ 未训练的网络" in banner and "CNNCOURSE_WEIGHTS=imagenet" in banner
    from cnncourse.figures.html import weights_banner_text
    from cnncourse.nets.weights import WeightsBanner

    assert weights_banner_text(WeightsBanner("random")).startswith("警告")  # the plain-text view too
    for note, chinese in (("the ImageNet weights are not in torch's cache and could not be downloaded", "无法下载"),
                          ("the ImageNet weights file in torch's cache could not be read", "无法读取")):
        why = weights_banner_html(WeightsBanner("random", note))  # the two reasons cnncourse.nets.vgg gives
        assert chinese in why and "could not" not in why


def test_without_a_cjk_font_one_warning_says_how_to_install_one(zh, monkeypatch):
    monkeypatch.setattr(fonts, "_FONT_STATE", {})
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tr("stride") == "步幅"  # a translation looks up the catalog, nothing else
    with pytest.warns(UserWarning, match=r"apt-get install fonts-noto-cjk.*on Colab: `!apt-get -qq install fonts-noto-cjk`"):
        cnncourse.image_grid([np.eye(2)], titles=["padding"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cnncourse.image_grid([np.eye(2)], titles=["stride"])  # once only


def test_the_font_is_installed_only_when_asked_never_by_a_translation(zh, monkeypatch):
    """The chapters' set-up cell asks for it on Colab: use_cjk_font(install=...), where a reader sees it."""
    import types

    commands = []
    found = iter([None, None, "Noto Sans CJK SC"])
    monkeypatch.setattr(fonts, "_FONT_STATE", {"before": list(matplotlib.rcParams["font.family"])})
    monkeypatch.setattr(fonts, "cjk_font", lambda: next(found))
    monkeypatch.setattr(fonts.subprocess, "run", lambda args, **kw: commands.append(args) or types.SimpleNamespace(returncode=0))
    assert tr("padding") == "填充" and commands == []
    with pytest.warns(UserWarning, match="fonts-noto-cjk"):
        assert use_cjk_font() is None and commands == []
    assert use_cjk_font(install=True) == "Noto Sans CJK SC"
    assert commands == [["apt-get", "-qq", "install", "-y", "fonts-noto-cjk"]]


def test_the_set_up_cell_installs_the_font_on_colab_where_the_reader_sees_it():
    from pathlib import Path

    import nbformat

    chapters = Path(__file__).resolve().parents[1] / "chapters"
    setups = {path.name: nbformat.read(path, as_version=4).cells[0].source for path in chapters.glob("*.ipynb")}
    assert len(set(setups.values())) == 1, "the set-up cell is the same in every chapter"
    assert 'use_cjk_font(install="google.colab" in sys.modules)' in next(iter(setups.values()))


def test_chinese_figures_leave_matplotlib_as_it_is(zh):
    """The texts a chapter draws pass through tr() in the package (tests/test_i18n_figures.py):
    matplotlib's own code is never replaced, only its font setting gets a CJK fallback."""
    from matplotlib.text import Text

    draw = Text.draw
    set_language("zh")
    fig = cnncourse.image_grid([np.eye(4)], titles=["edge map of the view"])
    fig.savefig(io.BytesIO(), format="png")
    assert Text.draw is draw and "视图的边缘图" in _texts(fig)


def test_glued_words_and_imagenet_names(zh, monkeypatch):
    monkeypatch.setenv("CNNCOURSE_I18N_STRICT", "1")
    assert tr("took 3.2 times as long") == "耗时是它的 3.2 倍"
    assert tr("ring (45.2%), the right class") == "圆环（45.2%），类别正确"
    assert tr("grand piano") == "grand piano"     # ImageNet's class names stay as the data set has them


def test_collect_mode_lists_missing_labels_in_a_file(zh, monkeypatch, tmp_path):
    listing = tmp_path / "missing.txt"
    monkeypatch.setenv("CNNCOURSE_I18N_STRICT", f"collect:{listing}")
    assert tr("a label nobody translated") == "a label nobody translated"
    assert listing.read_text(encoding="utf-8") == "'a label nobody translated'\n"
