<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR" sourcelanguage="en">
<context>
    <name>Banner</name>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="238"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>ChapterCard</name>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="169"/>
        <source>Chapter %1</source>
        <translation>%1장</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="174"/>
        <source>The levels of this chapter are on their way.</source>
        <translation>이 장의 레벨은 곧 추가됩니다.</translation>
    </message>
</context>
<context>
    <name>ClassifyInput</name>
    <message>
        <location filename="../../virtquest/gui/qt_answer_match.py" line="276"/>
        <source>Press a category&apos;s number (1–%1) to put the item marked ▸ in it; the next item follows. ↑/↓ move between items. Then press Enter.</source>
        <translation>분류의 번호(1–%1)를 누르면 ▸ 표시가 붙은 항목이 그 분류에 들어가고 다음 항목으로 넘어갑니다. ↑/↓ 키로 항목 사이를 옮길 수 있습니다. 다 고르면 Enter를 누르세요.</translation>
    </message>
</context>
<context>
    <name>CodeEditor</name>
    <message>
        <location filename="../../virtquest/gui/qt_editor.py" line="413"/>
        <source>innocuous</source>
        <translation>무해한 명령</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_editor.py" line="413"/>
        <source>privileged</source>
        <translation>특권 명령</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_editor.py" line="414"/>
        <source>sensitive but unprivileged (an x86 hole)</source>
        <translation>민감하지만 특권이 아닌 명령 (x86의 구멍)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_editor.py" line="415"/>
        <source>virtualization</source>
        <translation>가상화 명령</translation>
    </message>
</context>
<context>
    <name>ComingSoon</name>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="115"/>
        <source>%1 — coming soon</source>
        <translation>%1 — 준비 중</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="117"/>
        <source>This part of VirtQuest is still being built. Meanwhile, the chapter map, the quizzes, the review queue and your progress are ready.</source>
        <translation>VirtQuest의 이 부분은 아직 만드는 중입니다. 그동안 챕터 지도, 퀴즈, 복습, 진행 상황은 바로 쓸 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="119"/>
        <source>You chose the level “%1”; it will open here.</source>
        <translation>“%1” 레벨을 골랐습니다. 이곳에서 열릴 예정입니다.</translation>
    </message>
</context>
<context>
    <name>CompareChart</name>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="51"/>
        <location filename="../../virtquest/gui/qt_compare.py" line="172"/>
        <source>Run the program to compare the modes.</source>
        <translation>프로그램을 실행하면 모드별로 비교할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="71"/>
        <source>guest, direct on the CPU</source>
        <translation>게스트 (CPU에서 직접 실행)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="72"/>
        <source>trap / VM exit and entry</source>
        <translation>트랩 / VM exit와 VM entry</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="73"/>
        <source>emulation in the hypervisor</source>
        <translation>하이퍼바이저의 에뮬레이션</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="74"/>
        <source>binary translation</source>
        <translation>이진 변환</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="75"/>
        <source>hypercalls</source>
        <translation>하이퍼콜</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="76"/>
        <source>page walks</source>
        <translation>페이지 워크</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="77"/>
        <source>device access</source>
        <translation>장치 접근</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="78"/>
        <source>idle (waiting for the timer)</source>
        <translation>유휴 (타이머 대기)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="79"/>
        <source>host work (switching guests, scanning pages, migrating)</source>
        <translation>호스트 작업(게스트 전환, 페이지 스캔, 마이그레이션)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="84"/>
        <source>Native</source>
        <translation>네이티브</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="84"/>
        <source>Trap &amp; emulate</source>
        <translation>트랩 &amp; 에뮬레이션</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="85"/>
        <source>Binary translation</source>
        <translation>이진 변환</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="86"/>
        <source>Paravirtualization</source>
        <translation>반가상화</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="87"/>
        <source>Hardware-assisted</source>
        <translation>하드웨어 지원 가상화</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_compare.py" line="126"/>
        <location filename="../../virtquest/gui/qt_compare.py" line="146"/>
        <source>cycles</source>
        <translation>사이클</translation>
    </message>
</context>
<context>
    <name>DebuggerView</name>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="92"/>
        <source>Reset</source>
        <translation>처음으로</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="92"/>
        <source>Back to the first instruction (Ctrl+R)</source>
        <translation>첫 명령으로 돌아가기 (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="93"/>
        <source>◀ Step back</source>
        <translation>◀ 되돌리기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="93"/>
        <source>Undo one step by replaying the run (F9)</source>
        <translation>실행을 다시 재생해 한 단계 되돌리기 (F9)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="94"/>
        <source>Step ▶</source>
        <translation>단계 실행 ▶</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="94"/>
        <source>Execute one instruction (F10)</source>
        <translation>명령 하나 실행 (F10)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="95"/>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="95"/>
        <source>Run until the guest stops or you pause (F5)</source>
        <translation>게스트가 멈추거나 일시 정지할 때까지 실행 (F5)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="96"/>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="96"/>
        <source>Stop running here (F6)</source>
        <translation>여기서 멈추기 (F6)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="97"/>
        <source>Run to the program</source>
        <translation>프로그램까지 실행</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="98"/>
        <source>Run through the mini-OS boot to the program&apos;s first instruction</source>
        <translation>mini-OS 부팅을 지나 프로그램의 첫 명령까지 실행</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="102"/>
        <source>Program</source>
        <translation>프로그램</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="149"/>
        <source>Mode: %1</source>
        <translation>모드: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="104"/>
        <location filename="../../virtquest/gui/qt_debugger.py" line="155"/>
        <source>mini-OS</source>
        <translation>mini-OS</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="171"/>
        <source>Replaying…</source>
        <translation>다시 재생하는 중…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="177"/>
        <source>Running…</source>
        <translation>실행하는 중…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="184"/>
        <source>Booting the mini-OS…</source>
        <translation>mini-OS를 부팅하는 중…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="203"/>
        <source>The run failed: %1</source>
        <translation>실행하지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="243"/>
        <source>Stopped after %1 steps: %2</source>
        <translation>%1단계 후 멈췄습니다: %2</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger.py" line="245"/>
        <source>Step %1 · next instruction at %2</source>
        <translation>%1단계 · 다음 명령 주소 %2</translation>
    </message>
</context>
<context>
    <name>FramesChart</name>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="179"/>
        <source>frames in use</source>
        <translation>쓰는 프레임</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="179"/>
        <source>the host&apos;s frames</source>
        <translation>호스트 프레임 수</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="180"/>
        <source>shared</source>
        <translation>공유</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="180"/>
        <source>swapped out</source>
        <translation>스왑 아웃</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="181"/>
        <source>ballooned</source>
        <translation>벌룬에 넘김</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="184"/>
        <source>Host memory (millions of cycles)</source>
        <translation>호스트 메모리 (가로축: 백만 사이클)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="188"/>
        <source>Host memory over time</source>
        <translation>시간에 따른 호스트 메모리</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="193"/>
        <source>%1: at most %2</source>
        <translation>%1: 가장 많을 때 %2</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="203"/>
        <source>Learner: %1</source>
        <translation>학습자: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="204"/>
        <source>Level %1 · %2 XP</source>
        <translation>레벨 %1 · %2 XP</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="207"/>
        <source>%1 / %2 XP to the next level</source>
        <translation>다음 레벨까지 %1 / %2 XP</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="210"/>
        <source>Streak: %1 days</source>
        <translation>연속 학습: %1일</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="211"/>
        <source>Streak: 1 day</source>
        <translation>연속 학습: 1일</translation>
    </message>
</context>
<context>
    <name>HostPage</name>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="473"/>
        <source>Host</source>
        <translation>호스트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="474"/>
        <source>Both guests&apos; memory, the host&apos;s frames over time and a migration&apos;s rounds</source>
        <translation>게스트들의 메모리, 시간에 따른 호스트 프레임, 마이그레이션의 라운드</translation>
    </message>
</context>
<context>
    <name>HostView</name>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="358"/>
        <source>untouched</source>
        <translation>안 건드림</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="358"/>
        <source>resident</source>
        <translation>프레임에 있음</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="359"/>
        <source>shared</source>
        <translation>공유</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="359"/>
        <source>swapped out</source>
        <translation>스왑 아웃</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="360"/>
        <source>ballooned</source>
        <translation>벌룬에 넘김</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="363"/>
        <source>nothing reclaims memory</source>
        <translation>메모리를 회수하지 않음</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="363"/>
        <source>host swapping</source>
        <translation>호스트 스와핑</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="364"/>
        <source>ballooning</source>
        <translation>벌루닝</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="367"/>
        <source>guest switches</source>
        <translation>게스트 전환</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="368"/>
        <source>pages swapped out</source>
        <translation>스왑 아웃한 페이지</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="369"/>
        <source>pages swapped back in</source>
        <translation>다시 읽어 들인 페이지</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="370"/>
        <source>pages ballooned</source>
        <translation>벌룬 드라이버가 넘긴 페이지</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="370"/>
        <source>pages merged</source>
        <translation>합친 페이지</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="371"/>
        <source>copy-on-write faults</source>
        <translation>copy-on-write 폴트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="372"/>
        <source>pages scanned</source>
        <translation>스캔한 페이지</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="373"/>
        <source>out of frames</source>
        <translation>프레임이 바닥난 횟수</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="374"/>
        <source>double paging</source>
        <translation>이중 페이징</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="386"/>
        <source>Guest %1 ✔ same as native</source>
        <translation>게스트 %1 ✔ 네이티브와 같음</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="389"/>
        <source>stopped: halted</source>
        <translation>멈춤: hlt로 정지</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="390"/>
        <source>stopped: triple fault</source>
        <translation>멈춤: 트리플 폴트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="391"/>
        <source>other output or exit code %1</source>
        <translation>출력이나 종료 코드(%1)가 다름</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="393"/>
        <source>Guest %1 ✘ %2</source>
        <translation>게스트 %1 ✘ %2</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="378"/>
        <source>Host frames in use: %1, peak %2 (no limit)</source>
        <translation>호스트 프레임: %1개 사용 중, 가장 많을 때 %2개 (제한 없음)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="380"/>
        <source>Host frames in use: %1 of %2, peak %3</source>
        <translation>호스트 프레임: %2개 중 %1개 사용 중, 가장 많을 때 %3개</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="387"/>
        <source>stopped: no host frame left</source>
        <translation>멈춤: 남은 호스트 프레임이 없음</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="388"/>
        <source>stopped: out of cycles</source>
        <translation>멈춤: 사이클 한도를 넘음</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="396"/>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="405"/>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="413"/>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="426"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="398"/>
        <source>no page touched</source>
        <translation>건드린 페이지 없음</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="401"/>
        <source>The host&apos;s memory appears here once the guests have run.</source>
        <translation>게스트가 한 번 실행되면 여기에 호스트 메모리가 나타납니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="406"/>
        <source>Point at a page, or focus a grid and use the arrow keys, to see what it is.</source>
        <translation>페이지를 마우스로 가리키거나, 격자를 선택한 뒤 화살표 키로 움직이면 그 페이지가 어떤 상태인지 보입니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="411"/>
        <source>page sharing on</source>
        <translation>페이지 공유 켬</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="411"/>
        <source>no page sharing</source>
        <translation>페이지 공유 안 함</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="423"/>
        <source>Memory of guest %1</source>
        <translation>게스트 %1의 메모리</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="425"/>
        <source>%1 pages: %2</source>
        <translation>페이지 %1개: %2</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host.py" line="430"/>
        <source>Guest %1, page %2 (guest-physical 0x%3): %4</source>
        <translation>게스트 %1, 페이지 %2 (게스트 물리 주소 0x%3): %4</translation>
    </message>
</context>
<context>
    <name>InstructionLegend</name>
    <message>
        <location filename="../../virtquest/gui/qt_editor.py" line="464"/>
        <source>privileged</source>
        <translation>특권 명령</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_editor.py" line="465"/>
        <source>sensitive (x86 hole)</source>
        <translation>민감 명령 (x86의 구멍)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_editor.py" line="466"/>
        <source>innocuous</source>
        <translation>무해한 명령</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_editor.py" line="467"/>
        <source>virtualization</source>
        <translation>가상화 명령</translation>
    </message>
</context>
<context>
    <name>LabPage</name>
    <message>
        <location filename="../../virtquest/gui/qt_lab.py" line="40"/>
        <source>No level “%1” is loaded.</source>
        <translation>“%1” 레벨을 찾을 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab.py" line="101"/>
        <source>Choose a level on the chapter map to open it here.</source>
        <translation>챕터 지도에서 레벨을 고르면 여기에서 열립니다.</translation>
    </message>
</context>
<context>
    <name>LabTour</name>
    <message>
        <location filename="../../virtquest/gui/qt_tour.py" line="78"/>
        <source>This is a slot: one marked instruction of the guest program. The lab runs the guest for real, and you decide who handles each marked instruction.</source>
        <translation>이것이 자리(슬롯)입니다. 게스트 프로그램에서 표시해 둔 명령 하나예요. 실험실은 게스트를 실제로 실행하고, 표시된 명령마다 누가 처리할지는 여러분이 정합니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_tour.py" line="81"/>
        <source>Three handlers: 1 the CPU runs it directly, 2 the hypervisor traps and emulates it, 3 a modified guest kernel does something else instead (a hypercall). Try one now: click it or press 1, 2 or 3.</source>
        <translation>처리 주체는 셋입니다. 1 CPU가 직접 실행하거나, 2 하이퍼바이저가 트랩으로 받아 에뮬레이션하거나, 3 수정된 게스트 커널이 다른 방법(하이퍼콜)으로 대신합니다. 지금 하나 골라 보세요. 클릭하거나 1, 2, 3을 누르면 됩니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_tour.py" line="86"/>
        <source>After every choice the guest runs again under each mode of the level. The verdict says whether it still behaves as on real hardware (equivalent), whether it stayed inside its box (contained), and what it cost (overhead).</source>
        <translation>고를 때마다 레벨의 각 모드에서 게스트를 다시 실행합니다. 판정은 실제 하드웨어에서와 똑같이 동작하는지(동등성), 자기 영역을 벗어나지 않았는지(격리), 그리고 비용이 얼마나 들었는지(오버헤드)를 알려 줍니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_tour.py" line="90"/>
        <source>Here is where every cycle went: what each choice did, a timeline of traps and exits, the modes side by side, and a debugger to step through the run.</source>
        <translation>여기서 사이클이 어디에 쓰였는지 볼 수 있습니다. 각 선택이 한 일, 트랩과 exit의 타임라인, 모드별 비교, 실행을 한 단계씩 따라가는 디버거가 있습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_tour.py" line="93"/>
        <source>When every slot is your choice, submit: stars for staying equivalent and contained at a low overhead. Hints are there when you are stuck. Enjoy!</source>
        <translation>모든 자리를 직접 골랐다면 제출하세요. 동등성과 격리를 지키면서 오버헤드가 낮을수록 별을 많이 받습니다. 막히면 힌트를 보세요. 즐겁게 실험해 보세요!</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_tour.py" line="126"/>
        <source>Lab tour · %1 of %2</source>
        <translation>실험실 둘러보기 · %1 / %2</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_tour.py" line="129"/>
        <source>Skip the tour (Esc)</source>
        <translation>둘러보기 건너뛰기 (Esc)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_tour.py" line="130"/>
        <source>Start playing</source>
        <translation>시작하기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_tour.py" line="130"/>
        <source>Next ▶</source>
        <translation>다음 ▶</translation>
    </message>
</context>
<context>
    <name>LabView</name>
    <message>
        <location filename="../../virtquest/gui/qt_lab_level.py" line="209"/>
        <source>Who handles each instruction?</source>
        <translation>각 명령은 누가 처리할까요?</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_level.py" line="210"/>
        <source>In the mini-OS (the guest kernel&apos;s PV sites):</source>
        <translation>mini-OS 안 (게스트 커널의 반가상화 지점):</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_level.py" line="211"/>
        <source>Keys: ↑ ↓ choose a slot · 1 CPU · 2 Hypervisor · 3 Guest (a modified guest kernel)</source>
        <translation>키: ↑ ↓ 슬롯 고르기 · 1 CPU · 2 하이퍼바이저 · 3 게스트 (고친 게스트 커널)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_level.py" line="214"/>
        <source>What happened</source>
        <translation>일어난 일</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_level.py" line="214"/>
        <source>Timeline</source>
        <translation>타임라인</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_level.py" line="215"/>
        <source>Compare modes</source>
        <translation>모드 비교</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_level.py" line="215"/>
        <source>Debugger</source>
        <translation>디버거</translation>
    </message>
</context>
<context>
    <name>LessonView</name>
    <message>
        <location filename="../../virtquest/gui/qt_lab_lesson.py" line="32"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_lesson.py" line="32"/>
        <source>Hypervisor</source>
        <translation>하이퍼바이저</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_lesson.py" line="33"/>
        <source>Guest</source>
        <translation>게스트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_lesson.py" line="38"/>
        <source>Choose who handles each marked instruction: the CPU, the hypervisor or the (modified) guest. The guest runs again after every choice, and what each choice did appears here. The lesson and the quiz cards follow once every slot is your choice and the goal is met.</source>
        <translation>표시된 명령마다 누가 처리할지 고르세요. CPU, 하이퍼바이저, (수정된) 게스트 중 하나입니다. 고를 때마다 게스트를 다시 실행하고, 각 선택이 무슨 일을 했는지 여기에 보여 줍니다. 모든 자리를 직접 고르고 목표를 달성하면 해설과 퀴즈 카드가 나타납니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_lesson.py" line="47"/>
        <source>(the starting choice — not yet yours)</source>
        <translation>(처음 주어진 선택이며 아직 직접 고르지 않음)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_lesson.py" line="58"/>
        <source>Why</source>
        <translation>왜 그럴까요</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_lesson.py" line="65"/>
        <source>equivalence broken</source>
        <translation>동등성 깨짐</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_lesson.py" line="66"/>
        <source>containment broken</source>
        <translation>격리 깨짐</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_lesson.py" line="74"/>
        <source>Quiz cards unlocked</source>
        <translation>새로 열린 퀴즈 카드</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_lesson.py" line="74"/>
        <source>Practise these cards now</source>
        <translation>지금 이 카드로 연습하기</translation>
    </message>
</context>
<context>
    <name>LevelRow</name>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="110"/>
        <source>%1 of 3 stars</source>
        <translation>별 3개 중 %1개</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="113"/>
        <source>Locked: clear “%1” first</source>
        <translation>잠김: 먼저 “%1”을(를) 클리어하세요</translation>
    </message>
</context>
<context>
    <name>MachinePanel</name>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="106"/>
        <source>CPU registers</source>
        <translation>CPU 레지스터</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="107"/>
        <source>Bold: changed by the last step or run</source>
        <translation>굵게 표시: 방금 단계 실행이나 실행으로 바뀐 값</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="108"/>
        <source>Virtual CPU (what the guest kernel believes)</source>
        <translation>가상 CPU (게스트 커널이 믿는 상태)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="109"/>
        <source>VMCS exit controls (VT-x)</source>
        <translation>VMCS exit 제어 (VT-x)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="110"/>
        <source>Page tables</source>
        <translation>페이지 테이블</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="112"/>
        <source>virtual</source>
        <translation>가상 주소</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="112"/>
        <source>physical</source>
        <translation>물리 주소</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="113"/>
        <source>Console output so far</source>
        <translation>지금까지의 콘솔 출력</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="123"/>
        <source>%1 cycles
%2 instructions · %3 steps</source>
        <translation>%1 사이클
명령 %2개 · %3단계</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="133"/>
        <source>CPL %1 (%2) on the real CPU</source>
        <translation>실제 CPU에서 CPL %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="135"/>
        <source>the guest believes it is at CPL %1</source>
        <translation>게스트는 자신이 CPL %1에 있다고 믿습니다</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="155"/>
        <source>The guest&apos;s page tables (its cr3)</source>
        <translation>게스트의 페이지 테이블 (게스트의 cr3)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_debugger_state.py" line="157"/>
        <source>Shadow page table (what the MMU really walks)</source>
        <translation>섀도 페이지 테이블 (MMU가 실제로 따라가는 테이블)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="59"/>
        <source>Chapter map</source>
        <translation>챕터 지도</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="61"/>
        <source>Lab</source>
        <translation>실험실</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="62"/>
        <source>Quiz</source>
        <translation>퀴즈</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="63"/>
        <source>Review</source>
        <translation>복습</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="65"/>
        <source>Sandbox</source>
        <translation>샌드박스</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="66"/>
        <source>Progress</source>
        <translation>진행 상황</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/main_window.py" line="68"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
</context>
<context>
    <name>MatchingInput</name>
    <message>
        <location filename="../../virtquest/gui/qt_answer_match.py" line="101"/>
        <source>Choose...</source>
        <translation>선택…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_answer_match.py" line="135"/>
        <source>right answer: %1</source>
        <translation>정답: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_answer_match.py" line="139"/>
        <source>Type the letter of each row&apos;s match (a, b, c…): the next row follows. Or choose from each drop-down. Then press Enter.</source>
        <translation>줄마다 짝이 되는 항목의 글자(a, b, c…)를 누르면 다음 줄로 넘어갑니다. 목록에서 직접 골라도 됩니다. 다 고르면 Enter를 누르세요.</translation>
    </message>
</context>
<context>
    <name>MigrationChart</name>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="253"/>
        <source>Migration: pages sent per round (millions of cycles)</source>
        <translation>마이그레이션: 라운드마다 보낸 페이지 (가로축: 백만 사이클)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="255"/>
        <source>pre-copy, the guest runs</source>
        <translation>미리 복사 (게스트는 계속 돎)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="256"/>
        <source>stop-and-copy: the downtime</source>
        <translation>멈추고 복사 (다운타임)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="257"/>
        <source>Live migration rounds</source>
        <translation>라이브 마이그레이션 라운드</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="266"/>
        <source>Stop-and-copy: %1 pages, %2–%3 M cycles (downtime)</source>
        <translation>멈추고 복사: 페이지 %1개, %2–%3 백만 사이클 (다운타임)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="268"/>
        <source>Round %1: %2 pages, %3–%4 M cycles, %5 pages dirtied meanwhile</source>
        <translation>라운드 %1: 페이지 %2개, %3–%4 백만 사이클, 그사이 더럽혀진 페이지 %5개</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="274"/>
        <source>The guest finished before the migration could move it.</source>
        <translation>마이그레이션이 옮기기 전에 게스트가 끝났습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="275"/>
        <source>Live migration — pre-copy rounds: %1</source>
        <translation>라이브 마이그레이션 — 미리 복사 라운드: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="277"/>
        <source>pages sent: %1</source>
        <translation>보낸 페이지: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="278"/>
        <source>total: %1 cycles</source>
        <translation>전체: %1 사이클</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="279"/>
        <source>downtime: %1 cycles</source>
        <translation>다운타임: %1 사이클</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="282"/>
        <source>(goal: at most %1)</source>
        <translation>(목표: %1 이하)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="289"/>
        <source>converged</source>
        <translation>수렴함</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_host_charts.py" line="290"/>
        <source>did not converge: the guest dirtied pages faster than the link sent them, so the last round was stopped with many pages left</source>
        <translation>수렴하지 않음: 게스트가 링크가 보내는 것보다 빨리 페이지를 더럽혀서, 페이지가 많이 남은 채로 마지막 라운드를 멈췄습니다</translation>
    </message>
</context>
<context>
    <name>ModeChooser</name>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="226"/>
        <location filename="../../virtquest/gui/qt_timeline.py" line="233"/>
        <source>Mode:</source>
        <translation>모드:</translation>
    </message>
</context>
<context>
    <name>MultipleInput</name>
    <message>
        <location filename="../../virtquest/gui/qt_answer_choice.py" line="114"/>
        <source>Pick every right answer (keys 1–9 toggle), then press Enter.</source>
        <translation>옳은 답을 모두 고른 뒤 (숫자 키 1–9로 켜고 끕니다) Enter를 누르세요.</translation>
    </message>
</context>
<context>
    <name>OrderingInput</name>
    <message>
        <location filename="../../virtquest/gui/qt_answer_order.py" line="85"/>
        <source>Move up</source>
        <translation>위로</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_answer_order.py" line="86"/>
        <source>Move down</source>
        <translation>아래로</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_answer_order.py" line="142"/>
        <source>Put the steps in order: drag them, or select one and press Alt+↑ / Alt+↓. Then press Enter.</source>
        <translation>단계를 순서대로 놓으세요. 끌어서 옮기거나, 하나를 고르고 Alt+↑ / Alt+↓를 누르면 됩니다. 다 맞추면 Enter를 누르세요.</translation>
    </message>
</context>
<context>
    <name>QtChapterMap</name>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="279"/>
        <source>Chapter map</source>
        <translation>챕터 지도</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="282"/>
        <source>Open the sandbox</source>
        <translation>샌드박스 열기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="283"/>
        <source>Run any program under every mode — always open</source>
        <translation>어떤 프로그램이든 모든 모드로 실행해 보세요 — 언제나 열려 있습니다</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="287"/>
        <source>Play next: %1</source>
        <translation>다음 레벨: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="293"/>
        <source>Some content could not be loaded: %1</source>
        <translation>일부 콘텐츠를 불러오지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="298"/>
        <source>Loading levels...</source>
        <translation>레벨을 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="300"/>
        <source>No levels are installed yet. The quizzes, the review and the sandbox are ready.</source>
        <translation>아직 설치된 레벨이 없습니다. 퀴즈, 복습, 샌드박스는 바로 쓸 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="304"/>
        <source>Every level is open. Go for three stars everywhere!</source>
        <translation>모든 레벨이 열렸습니다. 모든 레벨에서 별 세 개에 도전해 보세요!</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="308"/>
        <source>clear “%1” to open %2</source>
        <translation>“%1”을(를) 클리어하면 %2이(가) 열립니다</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_map.py" line="310"/>
        <source>What unlocks next: %1.</source>
        <translation>다음에 열리는 것: %1.</translation>
    </message>
</context>
<context>
    <name>QtProgress</name>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="237"/>
        <location filename="../../virtquest/gui/qt_progress.py" line="317"/>
        <source>Progress</source>
        <translation>진행 상황</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="247"/>
        <source>Level %1</source>
        <translation>레벨 %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="248"/>
        <source>%1 / %2 XP to level %3</source>
        <translation>레벨 %3까지 %1 / %2 XP</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="252"/>
        <source>%1 XP</source>
        <translation>%1 XP</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="253"/>
        <source>earned in total</source>
        <translation>지금까지 얻은 경험치</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="254"/>
        <source>%1-day streak</source>
        <translation>%1일 연속 학습</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="256"/>
        <source>You studied today.</source>
        <translation>오늘도 공부했습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="257"/>
        <source>Answer one question today to keep it.</source>
        <translation>오늘 한 문제만 풀어도 이어집니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="259"/>
        <source>stars in the lab</source>
        <translation>실험실에서 얻은 별</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="266"/>
        <source>Stars per chapter</source>
        <translation>장별 별</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="267"/>
        <source>earned</source>
        <translation>얻은 별</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="267"/>
        <source>possible</source>
        <translation>얻을 수 있는 별</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="269"/>
        <source>Reviews due, next 14 days</source>
        <translation>앞으로 14일의 복습 일정</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="269"/>
        <source>due</source>
        <translation>복습할 문제</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="271"/>
        <source>XP over time</source>
        <translation>경험치 추이</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="285"/>
        <source>Achievements</source>
        <translation>업적</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_progress.py" line="289"/>
        <source>Achievements (%1 of %2)</source>
        <translation>업적 (%2개 중 %1개)</translation>
    </message>
</context>
<context>
    <name>QtQuiz</name>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="139"/>
        <source>Loading questions...</source>
        <translation>문제를 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="140"/>
        <source>No quiz questions could be loaded.</source>
        <translation>퀴즈 문제를 불러오지 못했습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="206"/>
        <source>You ended the quiz before answering a question.</source>
        <translation>한 문제도 풀기 전에 퀴즈를 끝냈습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="208"/>
        <source>You answered %1 of %2 right and earned %3 XP.</source>
        <translation>%2문제 중 %1문제를 맞혔고 %3 XP를 얻었습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="211"/>
        <source>You ended the quiz after %1 of %2 questions.</source>
        <translation>%2문제 중 %1문제까지 풀고 퀴즈를 끝냈습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="214"/>
        <source>Questions to look at again</source>
        <translation>다시 볼 문제</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="216"/>
        <source>Review the missed questions (%1)</source>
        <translation>틀린 문제 다시 풀기 (%1)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="237"/>
        <source>Right answer:</source>
        <translation>정답:</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="247"/>
        <source>Concept quiz</source>
        <translation>개념 퀴즈</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="249"/>
        <source>Questions of six kinds on hypervisors, trap and emulate, binary translation, paravirtualization and hardware assist. After each answer you see why it is right — and why the tempting wrong answer is wrong. Every answer also schedules the question for spaced review.</source>
        <translation>하이퍼바이저, 트랩과 에뮬레이션, 이진 변환, 반가상화, 하드웨어 지원 가상화에 관한 여섯 가지 유형의 문제입니다. 답할 때마다 왜 그것이 정답인지, 그리고 그럴듯한 오답은 왜 틀렸는지 해설이 나옵니다. 푼 문제는 간격 반복 복습 일정에도 올라갑니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="253"/>
        <source>&amp;Topic:</source>
        <translation>주제(&amp;T):</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="254"/>
        <source>&amp;Questions:</source>
        <translation>문제 수(&amp;Q):</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="255"/>
        <source>Start quiz</source>
        <translation>퀴즈 시작</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="256"/>
        <source>Quiz finished</source>
        <translation>퀴즈 끝</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_quiz.py" line="257"/>
        <source>New quiz</source>
        <translation>새 퀴즈</translation>
    </message>
</context>
<context>
    <name>QtReview</name>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="121"/>
        <source>new</source>
        <translation>새 문제</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="123"/>
        <source>lab mistake: %1</source>
        <translation>실험실 실수: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="125"/>
        <source>due</source>
        <translation>복습 차례</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="131"/>
        <source>Review</source>
        <translation>복습</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="132"/>
        <source>Question</source>
        <translation>문제</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="132"/>
        <source>Topic</source>
        <translation>주제</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="132"/>
        <source>Why now</source>
        <translation>지금 나오는 이유</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="133"/>
        <source>Start review (%1)</source>
        <translation>복습 시작 (%1)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="137"/>
        <source>Spaced review brings a question back just before you would forget it: a wrong answer comes back soon, a right one later and later. A mistake in the lab makes the questions on that idea due at once.</source>
        <translation>간격 반복 복습은 잊어버리기 직전에 문제를 다시 보여 줍니다. 틀린 문제는 곧 다시 나오고, 맞힌 문제는 점점 더 긴 간격을 두고 나옵니다. 실험실에서 실수하면 그 개념의 문제가 바로 복습 목록에 오릅니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="145"/>
        <source>Loading questions...</source>
        <translation>문제를 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="150"/>
        <source>%1 due now, %2 new today.</source>
        <translation>지금 복습할 문제 %1개, 오늘의 새 문제 %2개.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="156"/>
        <source>Nothing to review. Take a quiz to add questions.</source>
        <translation>복습할 문제가 없습니다. 퀴즈를 풀면 문제가 추가됩니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_review.py" line="160"/>
        <source>All done for now. Next review: %1 (%2 questions).</source>
        <translation>지금은 다 했습니다. 다음 복습: %1 (%2문제).</translation>
    </message>
</context>
<context>
    <name>QtSettings</name>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="37"/>
        <source>Export progress</source>
        <translation>진행 상황 내보내기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="37"/>
        <source>Progress files (*.json)</source>
        <translation>진행 상황 파일 (*.json)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="43"/>
        <location filename="../../virtquest/gui/qt_settings.py" line="52"/>
        <source>Import progress</source>
        <translation>진행 상황 가져오기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="44"/>
        <source>Progress files (*.json);;All files (*)</source>
        <translation>진행 상황 파일 (*.json);;모든 파일 (*)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="53"/>
        <source>A profile named “%1” already exists.</source>
        <translation>“%1”이라는 프로필이 이미 있습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="54"/>
        <source>Replace it</source>
        <translation>덮어쓰기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="55"/>
        <source>Import as a new profile</source>
        <translation>새 프로필로 가져오기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="141"/>
        <source>The lab tour starts again when you next open a level.</source>
        <translation>다음에 레벨을 열면 실험실 둘러보기가 다시 시작됩니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="216"/>
        <source>Now learning as “%1”.</source>
        <translation>이제 “%1” 프로필로 학습합니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="221"/>
        <source>Type a name for the new profile first.</source>
        <translation>먼저 새 프로필의 이름을 입력하세요.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="226"/>
        <source>Could not create the profile: %1</source>
        <translation>프로필을 만들지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="229"/>
        <source>Created the profile “%1” and switched to it.</source>
        <translation>“%1” 프로필을 만들고 전환했습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="239"/>
        <source>Export failed: %1</source>
        <translation>내보내지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="241"/>
        <source>Saved “%1” to %2 (%3 answers, %4 lab attempts).</source>
        <translation>“%1”을(를) %2에 저장했습니다 (답 %3개, 실험실 시도 %4회).</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="251"/>
        <source>Import failed: %1</source>
        <translation>가져오지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="266"/>
        <source>Imported the profile “%1” (%2 answers, %3 lab attempts).</source>
        <translation>“%1” 프로필을 가져왔습니다 (답 %2개, 실험실 시도 %3회).</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="281"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="282"/>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="283"/>
        <source>&amp;Language:</source>
        <translation>언어(&amp;L):</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="285"/>
        <source>Same as the computer (%1)</source>
        <translation>컴퓨터 설정을 따름 (%1)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="289"/>
        <source>No font on this computer can show Korean, so VirtQuest stays in English. Install one and restart VirtQuest:
%1</source>
        <translation>이 컴퓨터에는 한글을 표시할 수 있는 글꼴이 없어서 VirtQuest를 영어로 표시합니다. 글꼴을 설치한 뒤 VirtQuest를 다시 시작하세요:
%1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="291"/>
        <source>Appearance</source>
        <translation>화면</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="292"/>
        <source>&amp;Theme:</source>
        <translation>테마(&amp;T):</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="293"/>
        <source>Same as the computer</source>
        <translation>컴퓨터 설정을 따름</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="293"/>
        <source>Light</source>
        <translation>밝게</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="294"/>
        <source>Dark</source>
        <translation>어둡게</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="296"/>
        <source>Text &amp;size:</source>
        <translation>글자 크기(&amp;S):</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="297"/>
        <source>Replay the lab tour</source>
        <translation>실험실 둘러보기 다시 보기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="298"/>
        <source>Learner profile</source>
        <translation>학습자 프로필</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="299"/>
        <source>&amp;Profile:</source>
        <translation>프로필(&amp;P):</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="300"/>
        <source>&amp;New profile:</source>
        <translation>새 프로필(&amp;N):</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="301"/>
        <source>e.g. your name or student number</source>
        <translation>예: 이름이나 학번</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="302"/>
        <source>Create</source>
        <translation>만들기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="304"/>
        <source>Each profile keeps its own stars, answers, review schedule and settings — several students can share one computer.</source>
        <translation>프로필마다 별, 답, 복습 일정, 설정을 따로 보관하므로 여러 학생이 한 컴퓨터를 함께 쓸 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="306"/>
        <source>Move progress</source>
        <translation>진행 상황 옮기기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="308"/>
        <source>Save the current profile as a JSON file to take it to another computer or hand it to your instructor; import such a file to add its profile here.</source>
        <translation>현재 프로필을 JSON 파일로 저장해 다른 컴퓨터로 옮기거나 강사에게 제출할 수 있습니다. 그런 파일을 가져오면 그 프로필이 여기에 추가됩니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="310"/>
        <source>&amp;Export...</source>
        <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_settings.py" line="311"/>
        <source>&amp;Import...</source>
        <translation>가져오기(&amp;I)…</translation>
    </message>
</context>
<context>
    <name>QuestionRunner</name>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="214"/>
        <source>Correct!</source>
        <translation>정답입니다!</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="217"/>
        <source>Not quite — %1% right.</source>
        <translation>아쉽습니다 — %1%만 맞았습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="219"/>
        <source>Not quite.</source>
        <translation>틀렸습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="226"/>
        <source>+%1 XP</source>
        <translation>+%1 XP</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="230"/>
        <source>Question %1 of %2 · %3 · %4</source>
        <translation>%2문제 중 %1번째 · %3 · %4</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="235"/>
        <source>Check answer</source>
        <translation>정답 확인</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="236"/>
        <source>End review</source>
        <translation>복습 끝내기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="236"/>
        <source>End quiz</source>
        <translation>퀴즈 끝내기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="237"/>
        <source>Stop here and see what you answered (Esc)</source>
        <translation>여기서 멈추고 지금까지 푼 결과를 봅니다 (Esc)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="239"/>
        <source>Finish</source>
        <translation>끝내기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="239"/>
        <source>Next question</source>
        <translation>다음 문제</translation>
    </message>
</context>
<context>
    <name>Quiz</name>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="25"/>
        <source>Single choice</source>
        <translation>단일 선택</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="26"/>
        <source>Multiple choice</source>
        <translation>복수 선택</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="27"/>
        <source>True or false</source>
        <translation>참/거짓</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="28"/>
        <source>Ordering</source>
        <translation>순서 맞추기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="29"/>
        <source>Matching</source>
        <translation>짝 맞추기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="30"/>
        <source>Classify</source>
        <translation>분류하기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="39"/>
        <source>All topics</source>
        <translation>모든 주제</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="253"/>
        <source>The right order:</source>
        <translation>올바른 순서:</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="255"/>
        <location filename="../../virtquest/gui/qt_quiz.py" line="35"/>
        <source>True</source>
        <translation>참</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="255"/>
        <location filename="../../virtquest/gui/qt_quiz.py" line="35"/>
        <source>False</source>
        <translation>거짓</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="256"/>
        <location filename="../../virtquest/gui/qt_quiz.py" line="36"/>
        <source>The statement is %1.</source>
        <translation>이 문장은 %1입니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_question_runner.py" line="258"/>
        <source>The right matches are marked in each row.</source>
        <translation>줄마다 올바른 짝을 표시해 두었습니다.</translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="55"/>
        <source>Mode</source>
        <translation>모드</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="55"/>
        <source>Overhead</source>
        <translation>오버헤드</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="55"/>
        <source>Equivalent</source>
        <translation>동등성</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="55"/>
        <source>Contained</source>
        <translation>격리</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="56"/>
        <source>Ended</source>
        <translation>종료 이유</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="56"/>
        <source>Cycles</source>
        <translation>사이클</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="56"/>
        <source>Exit code</source>
        <translation>종료 코드</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="58"/>
        <source>Console output of the selected mode:</source>
        <translation>선택한 모드의 콘솔 출력:</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="70"/>
        <source>finished</source>
        <translation>정상 종료</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="70"/>
        <source>halted</source>
        <translation>정지 (hlt)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="71"/>
        <source>cycle budget spent</source>
        <translation>사이클 한도 소진</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="71"/>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="72"/>
        <source>triple fault</source>
        <translation>트리플 폴트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="107"/>
        <source>Why ×%1 for binary translation? %2% of its cycles went to translating code: %3 instructions, each translated the first time it ran, in a run of only %4 instructions.</source>
        <translation>이진 변환이 왜 ×%1일까요? 사이클의 %2%가 코드를 번역하는 데 들었습니다. 명령 %3개를 처음 실행될 때 한 번씩 번역했는데, 이번 실행 전체가 실행한 명령은 %4개뿐입니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="112"/>
        <source>Binary translation pays once to translate code the first time it runs; a short program cannot amortize that, so the ratio looks large — try a longer-running program (a loop that runs many times).</source>
        <translation>이진 변환은 처음 만나는 코드를 번역하는 비용을 한 번 치릅니다. 짧은 프로그램에서는 그 비용이 나뉘지 않아 배수가 커 보입니다 — 반복이 많은 프로그램(여러 번 도는 반복문)에서 다시 재 보세요.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="131"/>
        <source>containment broken: %1</source>
        <translation>격리 깨짐: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox_results.py" line="133"/>
        <source>x86 hole: %1</source>
        <translation>x86의 구멍: %1</translation>
    </message>
</context>
<context>
    <name>SandboxView</name>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="173"/>
        <source>Open…</source>
        <translation>열기…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="174"/>
        <source>Open a .s file (Ctrl+O); the arrow lists examples</source>
        <translation>.s 파일 열기 (Ctrl+O). 화살표를 누르면 예제 목록이 나옵니다</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="175"/>
        <source>Save</source>
        <translation>저장</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="176"/>
        <source>Save the program as a .s file (Ctrl+S)</source>
        <translation>프로그램을 .s 파일로 저장 (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="177"/>
        <source>&amp;Profile:</source>
        <translation>CPU 프로필(&amp;P):</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="178"/>
        <source>&amp;Budget:</source>
        <translation>사이클 한도(&amp;B):</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="179"/>
        <source>Cycles each mode may run before it is stopped (an endless loop stops here)</source>
        <translation>모드마다 이만큼의 사이클을 쓰면 실행을 멈춥니다 (무한 루프도 여기서 멈춥니다)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="181"/>
        <source>Run under every mode</source>
        <translation>모든 모드로 실행</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="182"/>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="183"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="184"/>
        <source>Stop the run (Esc)</source>
        <translation>실행 멈추기 (Esc)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="185"/>
        <source>Program</source>
        <translation>프로그램</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="186"/>
        <source>mini-OS source (read-only)</source>
        <translation>mini-OS 소스 (읽기 전용)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="187"/>
        <source>Results</source>
        <translation>결과</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="187"/>
        <source>Compare modes</source>
        <translation>모드 비교</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="188"/>
        <source>Timeline</source>
        <translation>타임라인</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="188"/>
        <source>Debugger</source>
        <translation>디버거</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="193"/>
        <source>Write a program with main:, kernel_main: or _start:, then run it under every mode.</source>
        <translation>main:, kernel_main:, _start: 중 하나로 시작하는 프로그램을 작성한 뒤 모든 모드로 실행해 보세요.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="218"/>
        <source>Open a program</source>
        <translation>프로그램 열기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="220"/>
        <source>VQ32 assembly (*.s);;All files (*)</source>
        <translation>VQ32 어셈블리 (*.s);;모든 파일 (*)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="236"/>
        <source>Opened %1.</source>
        <translation>%1 파일을 열었습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="241"/>
        <source>Save the program</source>
        <translation>프로그램 저장</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="243"/>
        <source>VQ32 assembly (*.s)</source>
        <translation>VQ32 어셈블리 (*.s)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="254"/>
        <source>Could not save: %1</source>
        <translation>저장하지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="256"/>
        <source>Saved %1.</source>
        <translation>%1에 저장했습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="274"/>
        <source>Running under every mode…</source>
        <translation>모든 모드로 실행하는 중…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="295"/>
        <source>Cancelled: the run stopped where it was.</source>
        <translation>취소했습니다: 실행이 그 자리에서 멈췄습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="308"/>
        <source>Unexpected error: %1</source>
        <translation>예상하지 못한 오류: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_sandbox.py" line="330"/>
        <source>Done on %1: native ran %2 cycles (%3).</source>
        <translation>%1 프로필에서 완료: 네이티브 실행은 %2 사이클 (%3).</translation>
    </message>
</context>
<context>
    <name>SingleInput</name>
    <message>
        <location filename="../../virtquest/gui/qt_answer_choice.py" line="100"/>
        <source>Pick one answer (keys 1–9), then press Enter.</source>
        <translation>답을 하나 고른 뒤 (숫자 키 1–9) Enter를 누르세요.</translation>
    </message>
</context>
<context>
    <name>SlotRow</name>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="71"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="71"/>
        <source>Hypervisor</source>
        <translation>하이퍼바이저</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="72"/>
        <source>Guest</source>
        <translation>게스트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="75"/>
        <source>innocuous</source>
        <translation>무해한 명령</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="75"/>
        <source>privileged</source>
        <translation>특권 명령</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="76"/>
        <source>sensitive</source>
        <translation>민감 명령</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="77"/>
        <source>virtualization</source>
        <translation>가상화 명령</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="80"/>
        <source>who reclaims memory</source>
        <translation>누가 메모리를 회수하는가</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="81"/>
        <source>sharing identical pages</source>
        <translation>같은 페이지의 공유</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="82"/>
        <source>who logs dirty pages</source>
        <translation>누가 더럽혀진 페이지를 기록하는가</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="83"/>
        <source>how the migration copies</source>
        <translation>마이그레이션의 복사 방식</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="87"/>
        <source>nothing reclaims</source>
        <translation>회수하지 않음</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="88"/>
        <source>host swapping</source>
        <translation>호스트 스와핑</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="89"/>
        <source>ballooning</source>
        <translation>벌루닝</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="90"/>
        <source>no sharing</source>
        <translation>공유하지 않음</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="91"/>
        <source>page sharing</source>
        <translation>페이지 공유</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="92"/>
        <source>EPT dirty bits</source>
        <translation>EPT dirty 비트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="93"/>
        <source>write protection</source>
        <translation>쓰기 금지</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="94"/>
        <source>stop and copy</source>
        <translation>멈추고 복사</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="95"/>
        <source>pre-copy</source>
        <translation>미리 복사</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="101"/>
        <source>%1, mini-OS line %2</source>
        <translation>%1, mini-OS %2번째 줄</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="102"/>
        <source>%1, program line %2</source>
        <translation>%1, 프로그램 %2번째 줄</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="105"/>
        <source>host setting: %1</source>
        <translation>호스트 설정: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_slots.py" line="138"/>
        <source>%1 (chosen)</source>
        <translation>%1 (선택됨)</translation>
    </message>
</context>
<context>
    <name>TimelineCanvas</name>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="60"/>
        <source>Guest</source>
        <translation>게스트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="60"/>
        <source>Hypervisor</source>
        <translation>하이퍼바이저</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="60"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="63"/>
        <source>Trap</source>
        <translation>트랩</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="63"/>
        <source>VM exit</source>
        <translation>VM exit</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="64"/>
        <source>VM entry</source>
        <translation>VM entry</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="64"/>
        <source>HyperCall</source>
        <translation>하이퍼콜</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="65"/>
        <source>reflect</source>
        <translation>전달</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="65"/>
        <source>resume</source>
        <translation>재개</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="66"/>
        <source>emulate</source>
        <translation>에뮬레이션</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="66"/>
        <source>translate</source>
        <translation>변환</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="67"/>
        <source>inline</source>
        <translation>인라인</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="67"/>
        <source>callout</source>
        <translation>콜아웃</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="68"/>
        <source>hidden page fault</source>
        <translation>숨은 페이지 폴트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="69"/>
        <source>exception</source>
        <translation>예외</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="69"/>
        <source>interrupt</source>
        <translation>인터럽트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="74"/>
        <source>hidden #PF</source>
        <translation>숨은 #PF</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline_canvas.py" line="179"/>
        <source>%1 · cycle %2 · at %3</source>
        <translation>%1 · %2번째 사이클 · 주소 %3</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="77"/>
        <source>Skip the mini-OS boot</source>
        <translation>mini-OS 부팅 건너뛰기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="88"/>
        <source>Click an event to see its instruction.</source>
        <translation>이벤트를 누르면 해당 명령을 보여 줍니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="79"/>
        <source>Zoom out (−)</source>
        <translation>축소 (−)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="79"/>
        <source>Zoom in (+)</source>
        <translation>확대 (+)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="78"/>
        <source>Fit</source>
        <translation>맞추기</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="80"/>
        <source>Show every event (0)</source>
        <translation>모든 이벤트 보기 (0)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="92"/>
        <source>Trap / VM exit</source>
        <translation>트랩 / VM exit</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="93"/>
        <source>VM entry / reflect / resume</source>
        <translation>VM entry / 전달 / 재개</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="94"/>
        <source>HyperCall</source>
        <translation>하이퍼콜</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="95"/>
        <source>emulate</source>
        <translation>에뮬레이션</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="95"/>
        <source>translate</source>
        <translation>변환</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="96"/>
        <source>hidden page fault</source>
        <translation>숨은 페이지 폴트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="97"/>
        <source>exception / interrupt</source>
        <translation>예외 / 인터럽트</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="110"/>
        <source>Running with the trace on…</source>
        <translation>추적을 켜고 실행하는 중…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="127"/>
        <source>No run yet.</source>
        <translation>아직 실행하지 않았습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="134"/>
        <source>no traps, exits or hypercalls</source>
        <translation>트랩, VM exit, 하이퍼콜 없음</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="136"/>
        <source>(the trace is cut off)</source>
        <translation>(추적이 중간에 잘렸습니다)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="143"/>
        <source>program</source>
        <translation>프로그램</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="143"/>
        <source>mini-OS</source>
        <translation>mini-OS</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_timeline.py" line="144"/>
        <source>%1 line %2:</source>
        <translation>%1 %2번째 줄:</translation>
    </message>
</context>
<context>
    <name>TrueFalseInput</name>
    <message>
        <location filename="../../virtquest/gui/qt_answer_choice.py" line="134"/>
        <source>&amp;True  (T)</source>
        <translation>참(&amp;T)  (T / O)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_answer_choice.py" line="135"/>
        <source>&amp;False  (F)</source>
        <translation>거짓(&amp;F)  (F / X)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_answer_choice.py" line="169"/>
        <source>True or false? Press T or F, then Enter.</source>
        <translation>참일까요, 거짓일까요? T(또는 O)나 F(또는 X)를 누른 뒤 Enter를 누르세요.</translation>
    </message>
</context>
<context>
    <name>VerdictBox</name>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="79"/>
        <source>Submit</source>
        <translation>제출</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="94"/>
        <source>Verdict for your choices:</source>
        <translation>내 선택의 판정:</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="95"/>
        <source>A first run at the level&apos;s starting choices — who should handle each instruction? Choose below.</source>
        <translation>레벨의 처음 선택으로 한 번 실행해 본 결과입니다. 각 명령은 누가 처리해야 할까요? 아래에서 골라 보세요.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="99"/>
        <source>Choose a handler for every slot to earn stars (%1 left).</source>
        <translation>모든 자리에 처리 주체를 골라야 별을 받을 수 있습니다 (%1개 남음).</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="102"/>
        <source>Choose a handler for every slot first</source>
        <translation>먼저 모든 자리에 처리 주체를 고르세요</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="112"/>
        <source>Running the guest under your choices…</source>
        <translation>선택한 대로 게스트를 실행하는 중…</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="117"/>
        <source>The run failed: %1</source>
        <translation>실행하지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="125"/>
        <source>equivalent</source>
        <translation>동등성</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="125"/>
        <source>contained</source>
        <translation>격리</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="129"/>
        <source>overhead ×%1</source>
        <translation>오버헤드 ×%1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="134"/>
        <source>Goal not met: the guest must stay equivalent and contained.</source>
        <translation>목표 미달성: 게스트의 동등성과 격리가 모두 지켜져야 합니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="140"/>
        <source>Par (the best legal assignment): ×%1 — yours: ×%2</source>
        <translation>기준 (규칙 안에서 최선의 배정): ×%1 — 내 결과: ×%2</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="143"/>
        <source>★★★ at ×%1 or less, ★★ at ×%2 — yours: ×%3</source>
        <translation>×%1 이하면 ★★★, ×%2 이하면 ★★ — 내 결과: ×%3</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="151"/>
        <source>Hint (%1 left)</source>
        <translation>힌트 (%1개 남음)</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="154"/>
        <source>Hint %1: %2</source>
        <translation>힌트 %1: %2</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="167"/>
        <source>Level cleared!</source>
        <translation>레벨 클리어!</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="170"/>
        <source>Attempt saved — the goal is not met yet, so no stars.</source>
        <translation>시도를 저장했습니다. 아직 목표를 달성하지 못해 별은 없습니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="172"/>
        <source>+%1 XP</source>
        <translation>+%1 XP</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="174"/>
        <source>Level up! You are now level %1.</source>
        <translation>레벨 업! 이제 레벨 %1입니다.</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="177"/>
        <source>Achievement: %1</source>
        <translation>업적 달성: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="180"/>
        <source>Unlocked: %1</source>
        <translation>새로 열림: %1</translation>
    </message>
    <message>
        <location filename="../../virtquest/gui/qt_lab_verdict.py" line="186"/>
        <source>Next level: %1 ▶</source>
        <translation>다음 레벨: %1 ▶</translation>
    </message>
</context>
</TS>
