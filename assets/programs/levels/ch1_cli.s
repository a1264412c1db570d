; ch1_cli.s — a guest kernel's critical section: cli, update a counter, sti.
;
; A kernel turns interrupts off (cli) around an update no interrupt may see half done,
; then on again (sti). Both are privileged: at ring 1 the CPU refuses them.
; Expected output: "count 50", exit code 0.
;ko: ch1_cli.s — 게스트 커널의 임계 구역: cli, 카운터 갱신, sti.
;ko:
;ko: 반쯤 끝난 갱신을 인터럽트가 보면 안 되므로, 커널은 갱신 앞에서 인터럽트를 끄고(cli)
;ko: 뒤에서 다시 켭니다(sti). 둘 다 특권 명령이라 링 1에서는 CPU가 거부합니다.
;ko: 예상 출력: "count 50", 종료 코드 0.

.equ N, 50

_start:
    mov esp, 0x80000
    mov ecx, N
section:
off:
    cli                         ; slot `off`: privileged
                                ;ko: 슬롯 `off`: 특권 명령
    mov eax, [counter]
bump:
    inc eax                     ; slot `bump`: innocuous
                                ;ko: 슬롯 `bump`: 무해한 명령
    mov [counter], eax
on:
    sti                         ; slot `on`: privileged
                                ;ko: 슬롯 `on`: 특권 명령
    loop section
    mov esi, msg
    call puts
    mov eax, [counter]
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

; Data on its own page: a write to a page of code would make a binary translator
; drop that page's translations (as it must for self-modifying code).
;ko: 데이터는 따로 한 페이지에 둡니다. 코드가 있는 페이지에 쓰면 이진 변환기는 그 페이지의
;ko: 변환 결과를 버려야 합니다(자기 수정 코드에 대비해야 하니까요).
.align 4096
counter: .word 0
msg:     .asciz "count "
