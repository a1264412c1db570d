; kernel_main.s: code that runs inside the guest kernel, then a user program.
;
; Shows:  `kernel_main:` is called by the mini-OS at the end of boot, at CPL 0 (kernel
;         mode), with process 1's address space loaded and interrupts off. There it may
;         use privileged instructions: here it reads cs (CPL), cr0 (is paging on?) and
;         writes the console port itself with `out`. It can still make system calls.
;         When it returns, `main` runs as process 1 at CPL 3, where the same `out` would
;         be a #GP: it must use write().
;
; Expected output:
;   kernel_main: CPL 0, paging on, getpid() = 1
;   main: CPL 3
; Exit code: 0
;ko: kernel_main.s: 게스트 커널 안에서 도는 코드, 그다음 사용자 프로그램.
;ko:
;ko: 보여 주는 것:  `kernel_main:`은 부팅이 끝날 때 mini-OS가 호출합니다. CPL 0(커널 모드)이고,
;ko:                프로세스 1의 주소 공간이 올라와 있으며, 인터럽트는 꺼져 있습니다. 여기서는
;ko:                특권 명령을 쓸 수 있습니다. 이 예제는 cs(CPL)와 cr0(페이징이 켜졌나?)를
;ko:                읽고, `out`으로 콘솔 포트에 직접 씁니다. 시스템 콜도 여전히 됩니다.
;ko:                kernel_main이 돌아가면 `main`이 프로세스 1로 CPL 3에서 돕니다. 거기서 같은
;ko:                `out`을 쓰면 #GP가 나므로 write()를 써야 합니다.
;ko:
;ko: 예상 출력:
;ko:   kernel_main: CPL 0, paging on, getpid() = 1
;ko:   main: CPL 3
;ko: 종료 코드: 0

.equ SYS_WRITE, 3
.equ SYS_GETPID, 4

kernel_main:
    mov esi, s_kernel
    call puts
    mov eax, cs                 ; the low two bits of cs are the CPL
                                ;ko: cs의 하위 두 비트가 CPL
    and eax, 3
    add eax, '0'
    out 0xE9, eax               ; privileged: fine at CPL 0
                                ;ko: 특권 명령: CPL 0에서는 괜찮음
    mov esi, s_paging
    call puts
    mov eax, cr0                ; privileged too
                                ;ko: 이것도 특권 명령
    mov esi, s_on
    test eax, 0x80000000        ; cr0.PG
                                ;ko: cr0.PG(페이징 비트)
    jne paging_said
    mov esi, s_off
paging_said:
    call puts
    mov eax, SYS_GETPID         ; a system call from kernel mode works as well
                                ;ko: 커널 모드에서도 시스템 콜이 됨
    int 0x80
    add eax, '0'
    out 0xE9, eax
    mov eax, 10
    out 0xE9, eax
    ret

; the library's console routines: puts writes the string at esi straight to the console
; port (kernel mode only)
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을 콘솔 포트에 직접 씀(커널 모드 전용)
.include "console.s"

main:
    mov eax, cs
    and eax, 3
    add eax, '0'
    movb [s_main+10], eax       ; put the digit into the text
                                ;ko: 숫자를 글자 속에 넣음
    mov eax, SYS_WRITE
    mov ebx, s_main
    mov ecx, 12
    int 0x80
    mov eax, 0
    ret

s_kernel: .asciz "kernel_main: CPL "
s_paging: .asciz ", paging "
s_on:     .asciz "on, getpid() = "
s_off:    .asciz "off, getpid() = "
s_main:   .ascii "main: CPL ?\n"
